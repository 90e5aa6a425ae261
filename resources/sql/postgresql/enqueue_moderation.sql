INSERT INTO moderation_queue (id, message_id, kind, status, sender_id, channel, message, context, reasons, created_at, origin)
VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?)
