SELECT id, name, role FROM players WHERE id NOT LIKE 'guest-%'
