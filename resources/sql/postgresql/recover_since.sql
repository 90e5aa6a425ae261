SELECT 1 FROM chat_messages WHERE id = ?
