INSERT INTO chat_mutes (id, player_id, target_type, target_id, muted_until, muted_by, reason, created_at, scope, channel, target_name)
VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, ?, CAST(? AS TIMESTAMPTZ), ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET muted_until = excluded.muted_until, muted_by = excluded.muted_by,
    reason = excluded.reason, created_at = excluded.created_at, target_name = excluded.target_name
