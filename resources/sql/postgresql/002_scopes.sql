-- Version 2: what scoped history needs. scope_id is the id the channel's scope selected (room,
-- subzone, zone, plane, party; the target for whispers; '' for everyone/staff channels).
ALTER TABLE chat_messages ADD COLUMN scope_id TEXT NOT NULL DEFAULT '';
ALTER TABLE chat_messages ADD COLUMN target_id TEXT;
ALTER TABLE chat_messages ADD COLUMN target_name TEXT;
ALTER TABLE chat_messages ADD COLUMN origin TEXT;
ALTER TABLE players ADD COLUMN last_seen TIMESTAMPTZ;
-- Version-1 rows knew only the room: the best scope id they have for room-scoped channels.
UPDATE chat_messages SET scope_id = room_id WHERE room_id IS NOT NULL AND channel IN ('say', 'emote');
UPDATE chat_messages SET scope_id = party_id WHERE party_id IS NOT NULL AND channel = 'party';
CREATE INDEX idx_chat_messages_scope ON chat_messages(channel, scope_id, id);
CREATE INDEX idx_chat_messages_target ON chat_messages(target_id);
CREATE INDEX idx_chat_messages_timestamp ON chat_messages(timestamp);
CREATE INDEX idx_players_name ON players(lower(name));
