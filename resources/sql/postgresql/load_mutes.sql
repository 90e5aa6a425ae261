SELECT id, player_id, target_type, target_id, muted_until, muted_by, reason, created_at, scope, channel, target_name
FROM chat_mutes WHERE muted_until IS NULL OR muted_until > CAST(? AS TIMESTAMPTZ)
