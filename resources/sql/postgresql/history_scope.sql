-- History of one channel and scope; shadowed lines only for their sender (bound after the upper id).
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin, shadow
FROM chat_messages WHERE channel = ? AND scope_id = ? AND id < ?
      AND (NOT shadow OR sender_id = ?) ORDER BY id DESC LIMIT ?
