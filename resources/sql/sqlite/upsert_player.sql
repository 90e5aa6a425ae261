INSERT INTO players (id, name, last_seen) VALUES (?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen
