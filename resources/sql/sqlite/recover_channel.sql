-- One branch of a moderator's feed resume (PROTOCOL §3 Recovery, "feed":"monitor"): every scope
-- of a channel after a message id, as the live feed shows them (the moderator's own included,
-- shadowed ones too: the feed shows them, marked).
-- Uses idx_chat_messages_scope (channel, scope_id, id).
SELECT id, channel, sender_id, sender_name, content, timestamp, room_id, party_id, filtered,
       scope_id, target_id, target_name, origin, shadow
FROM chat_messages WHERE channel = ? AND id > ? ORDER BY id DESC LIMIT ?
