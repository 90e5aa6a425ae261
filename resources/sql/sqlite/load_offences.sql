SELECT id, player_id, kind, points, at, actor, detail, origin FROM chat_offences WHERE at > ? ORDER BY at
