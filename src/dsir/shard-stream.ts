/**
 * The reading loop the DSIR shard tasks share: stream a shard's documents in batches, honour the
 * run's stop flag, keep its progress counters, and turn a failure into the runner's result.
 */

import type { Document, Rejection } from '../document.js';
import { SieveError } from '../errors.js';
import { readDocuments } from '../io/read-documents.js';
import type { ShardInput } from '../pipeline/run-shards.js';
import { countRejected, failure, writeRejections, type ShardResult } from '../pipeline/shard-task.js';

/** What a shard's loop saw: documents and characters read, records rejected. */
export interface ShardCounts {
  documents: number;
  characters: number;
  readonly rejections: Rejection[];
}

/** Yields the shard's document batches, updating `counts` and the task's progress slot. */
export async function* shardDocuments(task: ShardInput, counts: ShardCounts, keepRaw = false): AsyncGenerator<Document[]> {
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const slot = (task.slot ?? 0) * 2;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name, keepRaw });
  for await (const batch of read) {
    if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
    counts.rejections.push(...batch.rejected);
    counts.documents += batch.documents.length;
    for (const d of batch.documents) counts.characters += d.text.length;
    if (progress) {
      progress[slot] = counts.documents;
      progress[slot + 1] = counts.characters;
    }
    if (batch.documents.length > 0) yield batch.documents;
  }
}

/** A finished shard's base result: its counts, and its rejections written to `rejected/`. */
export async function shardDone(task: ShardInput, counts: ShardCounts, outputs: readonly string[]): Promise<Extract<ShardResult, { ok: true }>> {
  const rejectedFile = counts.rejections.length > 0 ? await writeRejections(task, counts.rejections) : undefined;
  return {
    ok: true,
    input: task.input,
    name: task.name,
    documents: counts.documents,
    rejected: countRejected(counts.rejections),
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
  if (task.onError !== 'skip' || !wholeFile) return failure(task, e);
  const rejections = [...counts.rejections, { location: e.location ?? { file: task.input }, code: e.code, reason: e.message }];
  return shardDone(task, { documents: 0, characters: 0, rejections }, []);
}
