-- Version 5: nothing to change on SQLite (text compares byte-wise by default); the PostgreSQL
-- migration of the same number makes message ids compare byte-wise there too.
CREATE TABLE IF NOT EXISTS mythos_migration_notes (version INTEGER NOT NULL)
