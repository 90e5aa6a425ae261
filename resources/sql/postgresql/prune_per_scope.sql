DELETE FROM chat_messages WHERE id IN (
    SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY channel, scope_id ORDER BY id DESC) AS rn
        FROM chat_messages) ranked
    WHERE rn > ?)
