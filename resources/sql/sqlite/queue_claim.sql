UPDATE moderation_queue SET claimed_by = ?, claimed_at = ?
WHERE id = ? AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = ?)
