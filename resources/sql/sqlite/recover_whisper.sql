-- The whisper branch of a resume: whispers the reader sent or received after a message id
-- (shadowed ones only when the reader sent them).
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin, shadow
FROM chat_messages WHERE channel = ? AND (sender_id = ? OR target_id = ?) AND id > ?
      AND (NOT shadow OR sender_id = ?) ORDER BY id DESC LIMIT ?
