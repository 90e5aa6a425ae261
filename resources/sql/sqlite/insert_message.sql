INSERT INTO chat_messages (id, channel, sender_id, sender_name, content, timestamp, room_id, party_id,
                           filtered, scope_id, target_id, target_name, origin, shadow)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
