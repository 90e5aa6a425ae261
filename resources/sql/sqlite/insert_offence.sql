INSERT INTO chat_offences (id, player_id, kind, points, at, actor, detail, origin)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
