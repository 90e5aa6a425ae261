-- One branch of a resume (PROTOCOL §3 Recovery): a channel and scope after a message id,
-- without the reader's own messages (they got an ack, never the message) nor shadowed ones. Uses
-- idx_chat_messages_scope (channel, scope_id, id).
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin, shadow
FROM chat_messages WHERE channel = ? AND scope_id = ? AND id > ? AND sender_id <> ?
      AND NOT shadow ORDER BY id DESC LIMIT ?
