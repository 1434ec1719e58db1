-- An outbound attempt is written when its delivery is claimed, before the request leaves (outcome `in_flight`, in the
-- claim's own statement), and completed when the attempt finishes. One left `in_flight` by a process that died is
-- closed as `interrupted` (outcome unknown: the receiver may or may not have got it) when its lease is recovered, so
-- the attempt log lists every request a receiver may have seen. Until it finishes an attempt has no duration.
alter table webhook_attempts alter column duration_ms drop not null;
