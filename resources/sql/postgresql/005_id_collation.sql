-- Version 5: message ids sort byte-wise (they are hex time stamps plus a server tag). Under a
-- linguistic collation (e.g. ICU locales) "id < ?" and ORDER BY id would not follow acceptance
-- order, so the column uses the C collation.
ALTER TABLE chat_messages ALTER COLUMN id TYPE TEXT COLLATE "C"
