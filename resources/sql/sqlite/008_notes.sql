-- Version 8: moderators' notes on players, shown in the console's player record. Kept until
-- deleted by an operator: a note is the moderators' memory of a player, not a penalty.
CREATE TABLE moderator_notes (
    id TEXT PRIMARY KEY,
    player_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    origin TEXT
);
CREATE INDEX idx_moderator_notes_player ON moderator_notes(player_id, created_at);
