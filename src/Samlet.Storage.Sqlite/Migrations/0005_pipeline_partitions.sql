-- The pipeline's work is split into 8 partitions of whole workspaces, each with its own checkpoint (ADR 11). Workspaces
-- get their partition round robin, in creation order; the single checkpoint of before becomes every partition's.
ALTER TABLE workspaces ADD COLUMN pipeline_partition INTEGER NOT NULL DEFAULT 0;

UPDATE workspaces SET pipeline_partition = (
    SELECT count(*) FROM workspaces earlier
    WHERE earlier.created_at < workspaces.created_at OR (earlier.created_at = workspaces.created_at AND earlier.id < workspaces.id)) % 8;

WITH RECURSIVE partitions(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM partitions WHERE p < 7)
INSERT INTO checkpoints (consumer, position)
SELECT 'profiles/' || p, c.position FROM checkpoints c, partitions WHERE c.consumer = 'profiles';

DELETE FROM checkpoints WHERE consumer = 'profiles';
