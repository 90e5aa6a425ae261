DELETE FROM chat_messages WHERE timestamp < CAST(? AS TIMESTAMPTZ)
