-- The timeline in chunks: one row holds up to a few hundred of a profile's log positions (seqs, a JSON array in
-- ascending order), so a pipeline commit rewrites the last chunk of each profile it touched instead of inserting a
-- row per event at a random place. A row per event (36 bytes each) made every 100,000-event commit of a rebuild rewrite
-- most of the table's pages: 37 s of the 119 s rebuild of 10.3 M events (docs/pipeline.md). first_seq is the chunk's
-- smallest seq and last_seq its largest; a seq is in one chunk only, so merging profiles (chunks change hands) never
-- collides on the key. Chunks of one profile may overlap after a merge: readers order by seq.
CREATE TABLE profile_timeline (
    profile_id  TEXT NOT NULL,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    links       INTEGER NOT NULL,
    seqs        TEXT NOT NULL,
    PRIMARY KEY (profile_id, first_seq)
) WITHOUT ROWID;

INSERT INTO profile_timeline (profile_id, first_seq, last_seq, links, seqs)
SELECT profile_id, min(seq), max(seq), count(*), json_group_array(seq) FROM profile_events GROUP BY profile_id;

DROP TABLE profile_events;

-- The timeline a row per event, as before: for ad-hoc queries and tests.
CREATE VIEW profile_events (profile_id, seq) AS
SELECT t.profile_id, j.value FROM profile_timeline t, json_each(t.seqs) j;
