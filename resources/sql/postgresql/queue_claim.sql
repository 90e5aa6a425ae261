UPDATE moderation_queue SET claimed_by = ?, claimed_at = CAST(? AS TIMESTAMPTZ)
WHERE id = ? AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = ?)
