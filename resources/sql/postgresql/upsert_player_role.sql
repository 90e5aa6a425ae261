INSERT INTO players (id, name, role, last_seen) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))
ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, last_seen = excluded.last_seen
