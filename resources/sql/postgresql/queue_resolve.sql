UPDATE moderation_queue SET status = ?, resolved_by = ?, resolved_at = CAST(? AS TIMESTAMPTZ), resolution = ?
WHERE id = ? AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = ?)
