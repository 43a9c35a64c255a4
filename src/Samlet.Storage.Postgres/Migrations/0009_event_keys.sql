-- De-duplication by a 16-byte key instead of the (source_id, message_id) text pair (ADR 16): the first 16 bytes of
-- SHA-256 of source_id, a newline and message_id (UTF-8), as uuid. The same (source, messageId) gives the same key
-- in C# (EventAppender.KeyOf) and here; a test holds the two together.
CREATE TABLE event_keys (
    key          uuid PRIMARY KEY,
    received_at  timestamptz NOT NULL
);

INSERT INTO event_keys (key, received_at)
SELECT encode(substring(sha256(convert_to(source_id || E'\n' || message_id, 'UTF8')) FROM 1 FOR 16), 'hex')::uuid, received_at
FROM event_message_ids;

DROP TABLE event_message_ids;
