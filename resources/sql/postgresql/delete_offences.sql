DELETE FROM chat_offences WHERE player_id = ? AND at <= ?
