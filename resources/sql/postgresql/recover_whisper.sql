-- The whisper branch of a resume: whispers the reader sent or received after a message id.
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin
FROM chat_messages WHERE channel = ? AND (sender_id = ? OR target_id = ?) AND id > ? ORDER BY id DESC LIMIT ?
