-- The pipeline's work is split into 8 partitions of whole workspaces, each with its own checkpoint (ADR 11). Workspaces
-- get their partition round robin, in creation order; the single checkpoint of before becomes every partition's.
ALTER TABLE workspaces ADD COLUMN pipeline_partition int NOT NULL DEFAULT 0;

UPDATE workspaces w SET pipeline_partition = ordered.n % 8
FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM workspaces) ordered
WHERE w.id = ordered.id;

INSERT INTO checkpoints (consumer, position)
SELECT 'profiles/' || p, c.position FROM checkpoints c, generate_series(0, 7) p WHERE c.consumer = 'profiles';

DELETE FROM checkpoints WHERE consumer = 'profiles';
