DELETE FROM chat_messages WHERE id = ?
