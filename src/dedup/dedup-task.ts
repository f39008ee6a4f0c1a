/** The per-shard stage of `sieve dedup`: read one input and spill its keys and document table. */

import { SieveError } from '../errors.js';
import { DuplicateIdCounter, type DuplicateIds } from '../io/duplicate-ids.js';
import { kindFromName } from '../io/formats.js';
import { parquetInfo, readParquetBatches } from '../io/parquet.js';
import { readDocuments } from '../io/read-documents.js';
import { getBackend } from '../native.js';
import type { ShardInput, TaskOutcome } from '../pipeline/run-shards.js';
import { RejectionLog } from '../pipeline/rejection-log.js';
import { failure } from '../pipeline/shard-common.js';
import { bandSpec } from './keys.js';
import { ShardKeyer, type DedupSpec } from './shard-keyer.js';

export interface DedupKeysTask extends ShardInput {
  readonly kind: 'dedup-keys';
  readonly workDir: string;
  /** The shard's index in input order: its key and table files are numbered by it. */
  readonly shard: number;
  readonly spec: DedupSpec;
}

/** What the first stage of a dedup read from one input: the counts its manifest lists under `inputs`. */
export interface DedupKeysResult {
  readonly ok: true;
  readonly input: string;
  readonly name: string;
  /** `documents` when the input held documents, `signatures` when it held MinHash signature columns. */
  readonly source: 'documents' | 'signatures';
  /** RPv2 `shard_id` of the rows (from a `*.minhash.parquet`), else the input's name. */
  readonly shardId: string;
  readonly documents: number;
  /** Documents with a key: a signature (13 normalized words or more), or an exact key. */
  readonly keyed: number;
  readonly rejected: number;
  readonly characters: number;
  readonly rejectedFile?: string;
  /** Documents reusing an id seen earlier in this input, when there are any (they are keyed all the same). */
  readonly duplicateIds?: DuplicateIds;
}

/** Whether an input is a Parquet file of MinHash signatures (ours or RPv2's) rather than documents. */
export async function holdsSignatures(path: string, format: string | undefined, threshold: number): Promise<boolean> {
  if (path === '-' || (format ?? kindFromName(path)?.format) !== 'parquet') return false;
  const info = await parquetInfo(path).catch(() => undefined);
  return info !== undefined && info.columns.includes(bandSpec(threshold).column);
}

export async function runDedupKeysTask(task: DedupKeysTask): Promise<TaskOutcome<DedupKeysResult>> {
  const rejections = new RejectionLog(task.outDir, task.name);
  const ids = new DuplicateIdCounter();
  let characters = 0;
  let shardId = task.name;
  const keyer = new ShardKeyer(task.workDir, task.shard, task.spec, getBackend());
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const slot = (task.slot ?? 0) * 2;
  let source: DedupKeysResult['source'] = 'documents';
  try {
    if (task.spec.method === 'minhash' && (await holdsSignatures(task.input, task.inputFormat, task.spec.threshold))) {
      source = 'signatures';
      const info = await parquetInfo(task.input);
      const wanted = ['id', 'id_int', 'shard_id', bandSpec(task.spec.threshold).column, ...(task.spec.verify ? ['signature_sim1.0'] : [])];
      const columns = [...new Set(wanted.filter((c) => info.columns.includes(c)))];
      for await (const table of readParquetBatches(task.input, { columns, batchSize: 8192 })) {
        if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
        if (shardId === task.name && table.numRows > 0) {
          const first = table.getChild('shard_id')?.get(0) as string | null | undefined;
          if (first) shardId = first;
        }
        const idColumn = table.getChild('id');
        if (idColumn) ids.add(idColumn.toArray() as string[], (i) => ({ file: task.input, record: keyer.documents + i }));
        keyer.addSignatureTable(table, task.input);
        if (progress) progress[slot] = keyer.documents;
      }
    } else {
      const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name });
      for await (const batch of read) {
        if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
        rejections.add(batch.rejected);
        ids.add(batch.documents.map((d) => d.id), (i) => batch.documents[i].location);
        keyer.addDocuments(batch.documents);
        for (const d of batch.documents) characters += d.text.length;
        if (progress) {
          progress[slot] = keyer.documents;
          progress[slot + 1] = characters;
        }
      }
    }
  } catch (err) {
    keyer.close();
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
    if (task.onError !== 'skip' || !wholeFile) {
      await rejections.discard();
      return failure(task, e);
    }
    // The whole file is rejected: its partial keys must not count, so it becomes an empty shard.
    new ShardKeyer(task.workDir, task.shard, task.spec, getBackend()).close();
    rejections.add([{ location: e.location ?? { file: task.input }, code: e.code, reason: e.message }]);
    const rejectedFile = await rejections.close();
    return { ok: true, input: task.input, name: task.name, source, shardId, documents: 0, keyed: 0, rejected: rejections.count, characters: 0, rejectedFile };
  }
  keyer.close();
  const rejectedFile = await rejections.close();
  const duplicateIds = ids.result();
  return {
    ok: true,
    input: task.input,
    name: task.name,
    source,
    shardId,
    documents: keyer.documents,
    keyed: keyer.keyed,
    rejected: rejections.count,
    characters,
    ...(rejectedFile ? { rejectedFile } : {}),
    ...(duplicateIds ? { duplicateIds } : {}),
  };
}
