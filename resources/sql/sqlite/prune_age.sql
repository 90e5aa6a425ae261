DELETE FROM chat_messages WHERE timestamp < ?
