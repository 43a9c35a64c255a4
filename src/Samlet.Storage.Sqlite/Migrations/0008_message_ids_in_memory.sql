-- De-duplication of outside sources' messageIds moves into memory (MessageIdWindow, ADR 13): with random ids, as SDKs
-- send them, every append dirtied a random page of this index. Samlet's own sources (audience changes, predictions)
-- keep an exact index over their whole history: a rebuild or a re-run appends the same ids again, months later.
DROP INDEX events_message_id;
CREATE UNIQUE INDEX events_own_message_id ON events (source_id, message_id)
    WHERE source_id GLOB 'src_audiences_*' OR source_id GLOB 'src_analytics_*';
