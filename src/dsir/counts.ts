/**
 * The bag-of-{1,2}-gram counts of a corpus (spec §8.2): the sum of its documents' hashed feature
 * vectors, with the document and token counts that give the Poisson λ. Sums of integers, so the
 * result does not depend on the order documents are added in.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { SieveError } from '../errors.js';
import { expandInputs } from '../io/inputs.js';
import { readDocuments, type ReadDocumentsOptions } from '../io/read-documents.js';
import { textFeatureBatchAsync, type DsirFeatureSpec, type FeatureBatch, type FeatureOptions } from './features.js';

/** Counts of one corpus over a feature space. */
export interface DsirCorpusCounts {
  readonly spec: DsirFeatureSpec;
  /** Per bucket, the number of unigrams and bigrams of the corpus hashed into it (integers). */
  readonly counts: Float64Array;
  /** Documents counted, empty ones included (the reference's λ divides by them). */
  documents: number;
  /** Tokens of all documents (`num_raw_words` summed, for `rpv2`). */
  tokens: number;
}

/** An empty count vector over `spec`. */
export function emptyCounts(spec: DsirFeatureSpec): DsirCorpusCounts {
  return { spec, counts: new Float64Array(spec.buckets), documents: 0, tokens: 0 };
}

/** Adds every document of a feature batch to `into`. */
export function addFeatures(into: DsirCorpusCounts, batch: FeatureBatch): void {
  const { counts } = into;
  const { buckets, counts: values, docOffsets } = batch.counts;
  const docs = docOffsets.length - 1;
  for (let k = docOffsets[0]; k < docOffsets[docs]; k++) counts[buckets[k]] += values[k];
  into.documents += docs;
  for (let d = 0; d < docs; d++) into.tokens += batch.tokens[d];
}

/** Adds `b` into `a` (counts of two parts of a corpus); both must use the same feature space. */
export function mergeCounts(a: DsirCorpusCounts, b: DsirCorpusCounts): DsirCorpusCounts {
  if (a.spec.kind !== b.spec.kind || a.spec.buckets !== b.spec.buckets) {
    throw new SieveError('E_USAGE', `[dsir] cannot merge counts over ${a.spec.kind}/${a.spec.buckets} with counts over ${b.spec.kind}/${b.spec.buckets}`);
  }
  for (let i = 0; i < a.counts.length; i++) a.counts[i] += b.counts[i];
  a.documents += b.documents;
  a.tokens += b.tokens;
  return a;
}

/** Options of `countFiles`. */
export interface CountFilesOptions extends FeatureOptions, Omit<ReadDocumentsOptions, 'name' | 'keepRaw'> {
  /** Called with the rejected records (`onError: 'skip'`), so a caller can count and report them. */
  readonly onRejected?: (count: number) => void;
}

/**
 * Streams every document of `inputs` (files, directories, `-`) and sums its features: one batch of
 * documents in memory at a time, each hashed by the backend's kernel over `threads` threads.
 *
 * @example
 * const wiki = await countFiles(['wiki.jsonl.gz'], { kind: 'rpv2', buckets: 10000 });
 */
export async function countFiles(inputs: readonly string[], spec: DsirFeatureSpec, options: CountFilesOptions = {}): Promise<DsirCorpusCounts> {
  const total = emptyCounts(spec);
  for (const shard of await expandInputs(inputs)) {
    for await (const batch of readDocuments(shard.path, { ...options, name: shard.name })) {
      const rejected = batch.rejected.reduce((n, r) => n + (r.count ?? 1), 0);
      if (rejected > 0) options.onRejected?.(rejected);
      if (batch.documents.length === 0) continue;
      addFeatures(
        total,
        await textFeatureBatchAsync(
          batch.documents.map((d) => d.text),
          spec,
          options,
        ),
      );
    }
  }
  return total;
}

/**
 * Writes counts to a file (little-endian float64: documents, tokens, then one count per bucket),
 * so the parts of a corpus counted by different workers can be merged.
 */
export async function writeCountsFile(path: string, counts: DsirCorpusCounts): Promise<void> {
  const out = new Float64Array(2 + counts.counts.length);
  out[0] = counts.documents;
  out[1] = counts.tokens;
  out.set(counts.counts, 2);
  await writeFile(path, new Uint8Array(out.buffer));
}

/** Reads a `writeCountsFile` file back, over `spec`. */
export async function readCountsFile(path: string, spec: DsirFeatureSpec): Promise<DsirCorpusCounts> {
  const bytes = await readFile(path);
  const values = new Float64Array(bytes.length / 8);
  new Uint8Array(values.buffer).set(bytes);
  if (values.length !== 2 + spec.buckets) throw new SieveError('E_IO', `[dsir] ${path} holds ${values.length - 2} buckets, expected ${spec.buckets}`, { location: { file: path } });
  return { spec, counts: values.slice(2), documents: values[0], tokens: values[1] };
}
