INSERT INTO moderator_notes (id, player_id, author_id, author_name, body, created_at, origin)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
