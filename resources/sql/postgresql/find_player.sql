SELECT id, name, role FROM players WHERE id = ? OR lower(name) = lower(?) ORDER BY (id = ?) DESC LIMIT 1
