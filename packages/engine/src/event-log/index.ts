// The event log: every read and write of a run's events (the RunEventBatch table) goes through
// this module — its batch encoding, the SQL pieces of statements that append or read batches,
// the execution's writer and the readers.
export { pendingClientCallsSql } from './client-calls.ts'
export { encodeBatch } from './encoding.ts'
export { clampSeq, readEventBatches, readLogTail, readRunEvents, readWholeRunLog } from './reader.ts'
export { storedAfterSql } from './retention.ts'
export { eventDataSql, insertBatchSql, lastSeqSql } from './sql.ts'
export { toRunEventFrames, toStoredRunEvent, type RunEventFrame } from './stored-run-event.ts'
export { checkpointBatcher, EventWriter, LostClaimError } from './writer.ts'
