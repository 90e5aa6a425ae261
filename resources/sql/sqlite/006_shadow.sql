-- Version 6: shadow mutes. A shadowed message (its sender was shadow-muted when it was
-- accepted) is stored like any other so its sender's own history looks normal, and every
-- history and resume query leaves it out for everybody else. Mutes need no change: their
-- scope column takes 'shadow' besides 'personal' and 'server'.
ALTER TABLE chat_messages ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0;
