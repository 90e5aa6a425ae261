INSERT INTO moderation_queue (id, message_id, kind, status, sender_id, channel, message, context, reasons, created_at,
                              claimed_by, resolved_by, resolution, origin)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET status = excluded.status, claimed_by = excluded.claimed_by,
    resolved_by = excluded.resolved_by, resolution = excluded.resolution
