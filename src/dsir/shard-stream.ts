/**
 * The reading loop the DSIR shard tasks share: stream a shard's documents in batches, honour the
 * run's stop flag, keep its progress counters, and turn a failure into the runner's result.
 */

import type { Document } from '../document.js';
import { SieveError } from '../errors.js';
import { readDocuments } from '../io/read-documents.js';
import type { ShardInput } from '../pipeline/run-shards.js';
import { RejectionLog } from '../pipeline/rejection-log.js';
import { failure } from '../pipeline/shard-common.js';
import type { ShardResult } from '../pipeline/shard-task.js';

/** What a shard's loop saw: documents and characters read, records rejected. */
export interface ShardCounts {
  documents: number;
  characters: number;
  /** The shard's `rejected/` file; none on a second pass over a shard whose first pass logged them. */
  readonly rejections?: RejectionLog;
}

/** Counts of a shard about to be read; `logRejections: false` for a second pass over it. */
export function shardCounts(task: ShardInput, logRejections = true): ShardCounts {
  return { documents: 0, characters: 0, rejections: logRejections ? new RejectionLog(task.outDir, task.name) : undefined };
}

/** Yields the shard's document batches, updating `counts` and the task's progress slot. */
export async function* shardDocuments(task: ShardInput, counts: ShardCounts, keepRaw = false): AsyncGenerator<Document[]> {
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const slot = (task.slot ?? 0) * 2;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name, keepRaw });
  for await (const batch of read) {
    if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
    counts.rejections?.add(batch.rejected);
    counts.documents += batch.documents.length;
    for (const d of batch.documents) counts.characters += d.text.length;
    if (progress) {
      progress[slot] = counts.documents;
      progress[slot + 1] = counts.characters;
    }
    if (batch.documents.length > 0) yield batch.documents;
  }
}

/** A finished shard's base result: its counts, and its rejections' file in `rejected/`. */
export async function shardDone(task: ShardInput, counts: ShardCounts, outputs: readonly string[]): Promise<Extract<ShardResult, { ok: true }>> {
  const rejectedFile = await counts.rejections?.close();
  return {
    ok: true,
    input: task.input,
    name: task.name,
    documents: counts.documents,
    rejected: counts.rejections?.count ?? 0,
    characters: counts.characters,
    outputs,
    ...(rejectedFile ? { rejectedFile } : {}),
  };
}

/**
 * The result of a shard that threw: a failure, except that with `onError: 'skip'` a whole
 * unreadable file is recorded as rejected and the shard counts as done with no document.
 */
export async function shardFailed(task: ShardInput, err: unknown, counts: ShardCounts): Promise<ShardResult> {
  const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
  const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
  if (task.onError !== 'skip' || !wholeFile) {
    await counts.rejections?.discard();
    return failure(task, e);
  }
  const rejections = counts.rejections ?? new RejectionLog(task.outDir, task.name);
  rejections.add([{ location: e.location ?? { file: task.input }, code: e.code, reason: e.message }]);
  return shardDone(task, { documents: 0, characters: 0, rejections }, []);
}
