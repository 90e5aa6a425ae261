SELECT COUNT(*), MIN(created_at) FROM moderation_queue WHERE status IN ('pending', 'claimed')
