SELECT id, player_id, author_id, author_name, body, created_at, origin FROM moderator_notes
WHERE player_id = ? ORDER BY created_at DESC LIMIT ?
