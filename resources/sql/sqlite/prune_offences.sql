DELETE FROM chat_offences WHERE at <= ?
