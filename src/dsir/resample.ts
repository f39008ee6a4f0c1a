/**
 * `sieve dsir resample`: importance resampling without replacement (DSIR, Xie et al. 2023) of a
 * raw pool toward a model's target corpus. Pass 1 scores every document and stores its Gumbel key;
 * the k largest keys are chosen with a bounded heap over those keys (O(k) memory); pass 2 writes
 * the chosen documents. The sample depends only on the inputs, the model and the seed.
 */

import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SieveError } from '../errors.js';
import { writeManifest } from '../pipeline/manifest.js';
import { readingOptions, runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseSeed } from './gumbel.js';
import { loadDsirModel } from './model.js';
import { runDsirKeysTask, runDsirSelectTask, type DsirKeysResult, type DsirKeysTask, type DsirSelectResult, type DsirSelectTask } from './resample-tasks.js';
import { createTopK, type TopKSelection } from './top-k.js';

/** Options of {@link resampleDsir}. */
export interface ResampleOptions extends ReadRunOptions {
  /** A model file from `sieve dsir fit`. */
  readonly model: string;
  /** Output directory: `kept/<name>.jsonl.gz`, `manifest.json`, `rejected/`. */
  readonly out: string;
  /** Documents to select; give this or `fraction`. */
  readonly k?: number;
  /** Share of the documents to select, 0 … 1: k = round(fraction × documents). */
  readonly fraction?: number;
  /** Seed of the Gumbel noise, an integer 0 … 2^64 − 1. @default 0 */
  readonly seed?: number | bigint | string;
}

/** Per input: documents read, kept (selected), rejected. */
export interface ResampleManifestInput {
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly candidates: number;
  readonly kept: number;
  readonly rejected: number;
  readonly outputs: readonly string[];
  readonly rejectedFile?: string;
}

/** A resample's `manifest.json`: the model, k, seed and threshold key, and per input and in total what was kept. */
export interface ResampleManifest {
  readonly tool: string;
  readonly command: 'dsir resample';
  readonly resample: {
    readonly model: string;
    readonly features: string;
    readonly buckets: number;
    readonly seed: string;
    readonly k: number;
    readonly fraction: number | null;
    /** The smallest key selected (importance + Gumbel noise); null when nothing was. */
    readonly threshold: number | null;
  };
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly inputs: readonly ResampleManifestInput[];
  readonly totals: {
    readonly inputs: number;
    readonly documents: number;
    /** Documents with a text, the only ones that can be selected. */
    readonly candidates: number;
    readonly kept: number;
    readonly dropped: { readonly dsir_resample: number };
    readonly rejected: number;
  };
}

/** What {@link resampleDsir} did: the manifest it wrote and how long it took. */
export interface ResampleSummary {
  readonly manifest: ResampleManifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
}

const SCRATCH_DIR = '.dsir-keys';

function checkSize(options: ResampleOptions): void {
  const { k, fraction } = options;
  if ((k === undefined) === (fraction === undefined)) throw new SieveError('E_USAGE', '[dsir] resample needs exactly one of k (documents) and fraction (share)');
  if (k !== undefined && (!Number.isSafeInteger(k) || k < 0 || k > 0xffffffff)) throw new SieveError('E_USAGE', `[dsir] k must be an integer from 0 to 2^32 − 1, got ${k}`);
  if (fraction !== undefined && !(fraction >= 0 && fraction <= 1)) throw new SieveError('E_USAGE', `[dsir] fraction must be a number from 0 to 1, got ${fraction}`);
}

/** Reads the shards' key files in input order and keeps the k best (O(k) memory). */
export async function selectKeys(keysPaths: readonly (string | undefined)[], k: number): Promise<TopKSelection> {
  const top = createTopK(k);
  const chunk = new Float64Array(1 << 16);
  const bytes = new Uint8Array(chunk.buffer);
  for (const [group, path] of keysPaths.entries()) {
    if (path === undefined) continue;
    const file = await open(path, 'r');
    try {
      let index = 0;
      let pending = 0;
      for (;;) {
        const { bytesRead } = await file.read(bytes, pending, bytes.length - pending);
        const filled = pending + bytesRead;
        const whole = Math.floor(filled / 8);
        for (let i = 0; i < whole; i++) top.offer(chunk[i], group, index++);
        pending = filled - whole * 8;
        if (pending > 0) bytes.copyWithin(0, whole * 8, filled);
        if (bytesRead === 0) break;
      }
      if (pending !== 0) throw new SieveError('E_IO', `[dsir] the key file ${path} is truncated`, { location: { file: path } });
    } finally {
      await file.close();
    }
  }
  return top.selection();
}

/**
 * Selects k documents (or a fraction of them) from `inputs` by importance resampling toward the
 * model's target and writes them, as they were read, to `out/kept/<name>.jsonl.gz`, with a manifest.
 *
 * @example
 * await resampleDsir({ model: 'wiki.dsir.json', inputs: ['pool/'], out: 'out/wiki-like', k: 100000, seed: 1 });
 */
export async function resampleDsir(options: ResampleOptions): Promise<ResampleSummary> {
  checkSize(options);
  const seed = parseSeed(options.seed ?? 0);
  if (seed === undefined) throw new SieveError('E_USAGE', `[dsir] the seed must be an integer from 0 to 2^64 − 1, got ${String(options.seed)}`);
  const model = await loadDsirModel(options.model);
  const onError = options.onError ?? 'fail';
  const scratch = join(options.out, SCRATCH_DIR);
  const keysPath = (name: string) => join(scratch, `${name}.f64`);

  const pass1 = await runShards<DsirKeysTask, DsirKeysResult>({
    inputs: options.inputs,
    out: options.out,
    onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runDsirKeysTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), kind: 'dsir-keys', modelPath: options.model, seed, keysPath: keysPath(shard.name) }),
  });
  const scored = pass1.results;
  const documents = scored.reduce((n, r) => n + r.documents, 0);
  const k = options.k ?? Math.round((options.fraction as number) * documents);
  const selection = await selectKeys(
    scored.map((r) => (r.documents > 0 ? keysPath(r.name) : undefined)),
    k,
  );
  const chosen = new Map<string, number[]>();
  selection.groups.forEach((g, i) => {
    const name = scored[g].name;
    const list = chosen.get(name) ?? [];
    list.push(selection.indices[i]);
    chosen.set(name, list);
  });
  const documentsOf = new Map(scored.map((r) => [r.name, r.documents]));

  const pass2 = await runShards<DsirSelectTask, DsirSelectResult>({
    inputs: options.inputs,
    out: options.out,
    onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runDsirSelectTask,
    task: (shard, shared) => ({
      ...shardInput(options, shard, shared),
      kind: 'dsir-select',
      selected: Uint32Array.from(chosen.get(shard.name) ?? []),
      documents: documentsOf.get(shard.name) ?? 0,
    }),
  });
  await rm(scratch, { recursive: true, force: true });

  const inputs: ResampleManifestInput[] = scored.map((r, i) => ({
    input: r.input,
    name: r.name,
    documents: r.documents,
    candidates: r.candidates,
    kept: pass2.results[i].kept,
    rejected: r.rejected,
    outputs: pass2.results[i].outputs,
    ...(r.rejectedFile ? { rejectedFile: r.rejectedFile } : {}),
  }));
  const kept = inputs.reduce((n, r) => n + r.kept, 0);
  let threshold: number | null = null;
  for (const key of selection.keys) threshold = threshold === null ? key : Math.min(threshold, key);
  const manifest: ResampleManifest = {
    tool: `pajama-sieve ${PACKAGE_VERSION}`,
    command: 'dsir resample',
    resample: { model: options.model, features: model.features.kind, buckets: model.features.buckets, seed: seed.toString(), k, fraction: options.fraction ?? null, threshold },
    options: readingOptions(options),
    inputs,
    totals: {
      inputs: inputs.length,
      documents,
      candidates: inputs.reduce((n, r) => n + r.candidates, 0),
      kept,
      dropped: { dsir_resample: documents - kept },
      rejected: inputs.reduce((n, r) => n + r.rejected, 0),
    },
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs: pass1.elapsedMs + pass2.elapsedMs };
}
