-- Version 7: the escalation ladder's offences. One row per offence (a counted filter hit, a
-- rate-limit flood, a moderator's warning) with its points; rows older than the ladder's decay
-- are dead weight and deleted by the server. A reset deletes a player's rows.
CREATE TABLE chat_offences (
    id TEXT PRIMARY KEY,
    player_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    points INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT,
    detail TEXT,
    origin TEXT
);
CREATE INDEX idx_chat_offences_player ON chat_offences(player_id, at);
