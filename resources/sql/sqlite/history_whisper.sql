-- Whispers a reader sent or received; shadowed ones only for their sender. (No apostrophes in
-- these comments: the PostgreSQL driver would read one as a quote and miss the placeholders.)
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin, shadow
FROM chat_messages WHERE channel = ? AND (sender_id = ? OR target_id = ?) AND id < ?
      AND (NOT shadow OR sender_id = ?) ORDER BY id DESC LIMIT ?
