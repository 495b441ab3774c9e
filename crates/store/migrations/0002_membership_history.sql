-- Memberships are ended, not deleted: a cluster keeps knowing its former members, so that its staff
-- can re-admit one without seeing organisations that never belonged to the cluster.
ALTER TABLE memberships ADD COLUMN left_at BIGINT;
