-- Goes up with every write of a checkpoint, also one that leaves the position where it is (an unmerge, a re-check or a
-- backfill step writes derived state pinned to the checkpoint). A worker that keeps its partitions' derived state in
-- memory between batches expects the version its last commit left: any other writer in between makes it forget.
ALTER TABLE checkpoints ADD COLUMN version bigint NOT NULL DEFAULT 0;
