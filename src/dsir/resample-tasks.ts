/**
 * The two streaming passes of `sieve dsir resample`, one task per shard:
 * 1. `dsir-keys`: each document's resampling key (importance + Gumbel noise) into a scratch file of
 *    float64s, one per document in read order (NaN for a document that cannot be selected);
 * 2. `dsir-select`: the documents chosen from those keys, written as they were read.
 */

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import type { Document } from '../document.js';
import { SieveError } from '../errors.js';
import { writeAtomically } from '../io/atomic-file.js';
import { documentLine, writeLines, type Line } from '../io/jsonl-writer.js';
import type { ShardInput, TaskOutcome } from '../pipeline/run-shards.js';
import type { ShardResult } from '../pipeline/shard-task.js';
import { textFeatureBatch } from './features.js';
import { gumbelKeys } from './gumbel.js';
import { loadDsirModel, type DsirModel } from './model.js';
import { createDsirScorer, type DsirScorer } from './score.js';
import { shardCounts, shardDocuments, shardDone, shardFailed } from './shard-stream.js';

/** Pass 1 of one shard. */
export interface DsirKeysTask extends ShardInput {
  readonly kind: 'dsir-keys';
  readonly modelPath: string;
  readonly seed: bigint;
  /** Scratch file for the keys, outside the outputs. */
  readonly keysPath: string;
}

export type DsirKeysResult = Extract<ShardResult, { ok: true }> & {
  /** Documents that can be selected (a non-empty text). */
  readonly candidates: number;
};

/** Pass 2 of one shard. */
export interface DsirSelectTask extends ShardInput {
  readonly kind: 'dsir-select';
  /** Positions (in read order) of the shard's chosen documents, ascending. */
  readonly selected: Uint32Array;
  /** Documents pass 1 read: a different count means the input changed in between. */
  readonly documents: number;
}

export type DsirSelectResult = Extract<ShardResult, { ok: true }> & { readonly kept: number };

export const KEPT_DIR = 'kept';

const scorers = new Map<string, Promise<DsirScorer>>();

/** The model's scorer, loaded once per thread. */
function cachedScorer(path: string): Promise<DsirScorer> {
  let scorer = scorers.get(path);
  if (!scorer) {
    scorer = loadDsirModel(path).then((m: DsirModel) => createDsirScorer(m));
    scorers.set(path, scorer);
    // A failed load is reported to this caller and tried afresh by the next one.
    scorer.catch(() => scorers.delete(path));
  }
  return scorer;
}

/**
 * The resampling keys of some documents under a scorer: importance (rounded as the signal is, so
 * precomputed signals give the same sample) + Gumbel noise of (seed, id); NaN for an empty text.
 */
export function resamplingKeys(docs: readonly Document[], scorer: DsirScorer, seed: bigint): Float64Array {
  const texts = docs.map((d) => d.text);
  const features = textFeatureBatch(texts, scorer.model.features);
  const weights = new Float64Array(docs.length);
  for (let d = 0; d < docs.length; d++) weights[d] = scorer.importance(features, d, texts[d]) ?? Number.NaN;
  return gumbelKeys(
    docs.map((d) => d.id),
    weights,
    seed,
  );
}

export async function runDsirKeysTask(task: DsirKeysTask): Promise<TaskOutcome<DsirKeysResult>> {
  const counts = shardCounts(task);
  let candidates = 0;
  try {
    const scorer = await cachedScorer(task.modelPath);
    await writeAtomically(task.keysPath, async (tmp) => {
      const out = createWriteStream(tmp);
      for await (const docs of shardDocuments(task, counts)) {
        const keys = resamplingKeys(docs, scorer, task.seed);
        for (const k of keys) if (!Number.isNaN(k)) candidates++;
        if (!out.write(Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength))) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    });
  } catch (err) {
    const failed = await shardFailed(task, err, counts);
    return failed.ok ? { ...failed, candidates: 0 } : failed;
  }
  return { ...(await shardDone(task, counts, [])), candidates };
}


export async function runDsirSelectTask(task: DsirSelectTask): Promise<TaskOutcome<DsirSelectResult>> {
  // Pass 1 (the keys) logged this shard's rejections.
  const counts = shardCounts(task, false);
  const output = join(KEPT_DIR, `${task.name}.jsonl.gz`);
  let kept = 0;
  async function* chosen(): AsyncGenerator<Line> {
    let position = 0;
    for await (const docs of shardDocuments(task, counts, true)) {
      for (const doc of docs) {
        if (kept < task.selected.length && task.selected[kept] === position) {
          kept++;
          yield documentLine(doc);
        }
        position++;
      }
    }
    if (counts.documents !== task.documents) {
      throw new SieveError('E_INPUT_FORMAT', `[dsir] ${task.input} gave ${task.documents} documents in the first pass and ${counts.documents} in the second: the input changed during the run`, {
        location: { file: task.input },
      });
    }
  }
  try {
    await writeLines(join(task.outDir, output), chosen());
  } catch (err) {
    const failed = await shardFailed(task, err, counts);
    return failed.ok ? { ...failed, kept: 0 } : failed;
  }
  return { ...(await shardDone(task, counts, [output])), kept };
}
