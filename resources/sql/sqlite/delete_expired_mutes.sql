DELETE FROM chat_mutes WHERE muted_until IS NOT NULL AND muted_until <= ?
