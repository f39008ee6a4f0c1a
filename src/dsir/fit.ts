/** `sieve dsir fit`: count a target corpus and a raw corpus, streamed, into a model file. */

import type { ReadDocumentsOptions } from '../io/read-documents.js';
import { countFiles } from './counts.js';
import { RPV2_FEATURES, type DsirFeatureSpec, type FeatureOptions } from './features.js';
import { fitDsirModel, saveDsirModel, type DsirModel } from './model.js';

/** Options of {@link fitDsirFiles}. */
export interface FitOptions extends FeatureOptions, Pick<ReadDocumentsOptions, 'textField' | 'idField' | 'format' | 'onError'> {
  /** Files or directories of the corpus to select toward (p). */
  readonly target: readonly string[];
  /** Files or directories of the raw pool (q): the corpus the weights will rank. */
  readonly raw: readonly string[];
  /** @default RPv2's: `rpv2`, 10,000 buckets */
  readonly features?: DsirFeatureSpec;
  /** Where to write the model; not written when absent. */
  readonly out?: string;
}

/** What {@link fitDsirFiles} fitted. */
export interface FitSummary {
  readonly model: DsirModel;
  /** Records rejected on the way (`onError: 'skip'`), per side. */
  readonly rejected: { readonly target: number; readonly raw: number };
  readonly elapsedMs: number;
}

/**
 * Fits a DSIR model: the hashed n-gram counts and mean token count of each corpus.
 *
 * @example
 * const { model } = await fitDsirFiles({ target: ['wiki.jsonl.gz'], raw: ['pool/'], out: 'wiki.dsir.json' });
 */
export async function fitDsirFiles(options: FitOptions): Promise<FitSummary> {
  const started = performance.now();
  const spec = options.features ?? RPV2_FEATURES;
  const rejected = { target: 0, raw: 0 };
  const target = await countFiles(options.target, spec, { ...options, onRejected: (n) => (rejected.target += n) });
  const raw = await countFiles(options.raw, spec, { ...options, onRejected: (n) => (rejected.raw += n) });
  const model = fitDsirModel(target, raw, { target: options.target, raw: options.raw });
  if (options.out) await saveDsirModel(options.out, model);
  return { model, rejected, elapsedMs: performance.now() - started };
}
