-- Version 4: the moderation queue. One row per flagged or held message, with the message as
-- it would be delivered and a context snapshot taken when it was queued (both JSON text).
CREATE TABLE moderation_queue (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    sender_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    message TEXT NOT NULL,
    context TEXT,
    reasons TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    claimed_by TEXT,
    claimed_at TIMESTAMPTZ,
    resolved_by TEXT,
    resolved_at TIMESTAMPTZ,
    resolution TEXT,
    origin TEXT
);
CREATE INDEX idx_moderation_queue_status ON moderation_queue(status, created_at);
CREATE INDEX idx_moderation_queue_sender ON moderation_queue(sender_id);
