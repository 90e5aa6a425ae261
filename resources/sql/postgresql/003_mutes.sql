-- Version 3: mutes as the moderation release uses them. A personal mute belongs to player_id
-- (who muted) and hides target_id (a player or a channel) from them; a server mute
-- (scope 'server') stops player_id = target_id from sending, on every channel or on `channel`.
ALTER TABLE chat_mutes ADD COLUMN scope TEXT NOT NULL DEFAULT 'personal';
ALTER TABLE chat_mutes ADD COLUMN channel TEXT;
ALTER TABLE chat_mutes ADD COLUMN target_name TEXT;
ALTER TABLE players ADD COLUMN role TEXT NOT NULL DEFAULT 'player';
CREATE INDEX idx_chat_mutes_until ON chat_mutes(muted_until);
