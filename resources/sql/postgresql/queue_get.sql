SELECT id, message_id, kind, status, sender_id, channel, message, context, reasons, created_at, claimed_by, resolved_by, resolution, origin
FROM moderation_queue WHERE id = ?
