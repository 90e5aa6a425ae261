DELETE FROM chat_mutes WHERE id = ?
