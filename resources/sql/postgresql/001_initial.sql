-- Version 1: the tables of the original plan (chat_messages, chat_mutes) and a players table
-- for the foreign keys they declare.
CREATE TABLE players (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    content TEXT NOT NULL,
    timestamp TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    room_id TEXT,
    party_id TEXT,
    filtered BOOLEAN DEFAULT FALSE,
    moderation_notes TEXT,
    FOREIGN KEY (sender_id) REFERENCES players(id)
);
CREATE INDEX idx_chat_messages_channel_timestamp ON chat_messages(channel, timestamp);
CREATE INDEX idx_chat_messages_sender ON chat_messages(sender_id);
CREATE INDEX idx_chat_messages_room ON chat_messages(room_id);
CREATE TABLE chat_mutes (
    id TEXT PRIMARY KEY,
    player_id TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    muted_until TIMESTAMPTZ,
    muted_by TEXT,
    reason TEXT,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (player_id) REFERENCES players(id),
    FOREIGN KEY (muted_by) REFERENCES players(id)
);
CREATE INDEX idx_chat_mutes_player ON chat_mutes(player_id);
CREATE INDEX idx_chat_mutes_target ON chat_mutes(target_type, target_id);
