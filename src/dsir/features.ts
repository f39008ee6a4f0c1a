/**
 * Which hashed n-gram features a DSIR model uses, and computing them for many documents at once
 * through the hashing backend (`getBackend()`: the C++ addon when present, else pure TypeScript).
 */

import { SieveError } from '../errors.js';
import { DSIR_BUCKETS, MAX_DSIR_BUCKETS } from '../hash/dsir.js';
import { dsirBatch } from '../hash/dsir-features.js';
import { resolveBackend } from '../hash/minhash-bands.js';
import type { BackendName, HashBackend, SparseCounts, TokenBatch } from '../hash/types.js';
import { TextView, wordPunctSpans } from '../text/index.js';

/**
 * - `rpv2`: RedPajama v2 (spec §8.1): WordPunct tokens of the raw text, case kept; every token and
 *   every adjacent pair (a tuple) hashed with CPython 3.11's seed-42 `hash`.
 * - `dsir`: the DSIR paper's setup (Xie et al. 2023, `get_ngram_info` of its experiments): the same
 *   tokens and hashes on the lower-cased text.
 */
export const DSIR_FEATURE_KINDS = ['rpv2', 'dsir'] as const;
/** One of {@link DSIR_FEATURE_KINDS}. */
export type DsirFeatureKind = (typeof DSIR_FEATURE_KINDS)[number];

/** The feature space of a model: both sides of a model and every scored document use the same one. */
export interface DsirFeatureSpec {
  /** @default 'rpv2' */
  readonly kind: DsirFeatureKind;
  /** Hash buckets, 1 … 2^24. @default 10000 (RPv2 `DSIR_FEATURE_DIM`) */
  readonly buckets: number;
}

/** RedPajama v2's feature space: `rpv2` features in 10,000 buckets. */
export const RPV2_FEATURES: DsirFeatureSpec = Object.freeze({ kind: 'rpv2', buckets: DSIR_BUCKETS });

const usageError = (message: string): never => {
  throw new SieveError('E_USAGE', `[dsir] ${message}`);
};

/** What is wrong with a feature spec given by a user or read from a model file (nothing: `[]`). */
export function featureSpecProblems(spec: { readonly kind?: unknown; readonly buckets?: unknown }): string[] {
  const { kind = 'rpv2', buckets = DSIR_BUCKETS } = spec;
  const problems: string[] = [];
  if (!(DSIR_FEATURE_KINDS as readonly unknown[]).includes(kind)) problems.push(`features must be one of ${DSIR_FEATURE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets < 1 || buckets > MAX_DSIR_BUCKETS) {
    problems.push(`buckets must be an integer from 1 to ${MAX_DSIR_BUCKETS}, got ${JSON.stringify(buckets)}`);
  }
  return problems;
}

/**
 * A checked feature spec (missing fields take the RPv2 defaults); `fail` turns a problem into the
 * caller's error.
 */
export function checkFeatureSpec(spec: { readonly kind?: unknown; readonly buckets?: unknown }, fail: (message: string) => never = usageError): DsirFeatureSpec {
  const problems = featureSpecProblems(spec);
  if (problems.length > 0) fail(problems.join('; '));
  return { kind: (spec.kind ?? 'rpv2') as DsirFeatureKind, buckets: (spec.buckets ?? DSIR_BUCKETS) as number };
}

/**
 * The view whose WordPunct tokens are hashed: the document's own for `rpv2`, its lower-cased text
 * for `dsir` (JavaScript's full Unicode lower-casing, final sigma included, as Python's `str.lower`).
 */
export function featureView(view: TextView, kind: DsirFeatureKind): TextView {
  if (kind === 'rpv2') return view;
  const lower = view.raw.toLowerCase();
  return lower === view.raw ? view : new TextView(lower);
}

/** Hashed features of many documents, and the token count of each (`num_raw_words` for `rpv2`). */
export interface FeatureBatch {
  readonly counts: SparseCounts;
  readonly tokens: Uint32Array;
}

/** Options of the feature helpers. */
export interface FeatureOptions {
  /** @default getBackend(): `SIEVE_BACKEND` or the best available */
  readonly backend?: BackendName | HashBackend;
  /** Native threads for one batch. @default 1 for the synchronous helpers, every core for the async ones */
  readonly threads?: number;
}

function packed(views: readonly TextView[], kind: DsirFeatureKind) {
  const featureViews = views.map((v) => featureView(v, kind));
  const tokens = new Uint32Array(featureViews.length);
  for (let d = 0; d < featureViews.length; d++) tokens[d] = featureViews[d].rawWordSpans.count;
  return { batch: dsirBatch(featureViews), tokens };
}

/**
 * The batch of some texts, tokenised on their own (no other view of the text is computed): what the
 * DSIR-only paths (fit, resample, `sieve dsir features`) hash.
 */
function packedTexts(texts: readonly string[], kind: DsirFeatureKind): { batch: TokenBatch; tokens: Uint32Array } {
  const hashed = kind === 'rpv2' ? texts : texts.map((t) => t.toLowerCase());
  const scans = hashed.map((t) => wordPunctSpans(t));
  const unitOffsets = new Uint32Array(hashed.length + 1);
  const tokenOffsets = new Uint32Array(hashed.length + 1);
  const tokens = new Uint32Array(hashed.length);
  for (let d = 0; d < hashed.length; d++) {
    tokens[d] = scans[d].count;
    unitOffsets[d + 1] = unitOffsets[d] + hashed[d].length;
    tokenOffsets[d + 1] = tokenOffsets[d] + scans[d].count;
    if (unitOffsets[d + 1] < unitOffsets[d] || 2 * tokenOffsets[d + 1] > 0xffffffff) {
      throw new SieveError('E_USAGE', '[dsir] the documents do not fit one batch (uint32 offsets); split them into smaller batches');
    }
  }
  const units = new Uint16Array(unitOffsets[hashed.length]);
  // UTF-16LE into the array's own memory: the platform order (little-endian on every target).
  const unitBytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
  const spans = new Uint32Array(2 * tokenOffsets[hashed.length]);
  for (let d = 0; d < hashed.length; d++) {
    unitBytes.write(hashed[d], 2 * unitOffsets[d], 'utf16le');
    spans.set(scans[d].spans, 2 * tokenOffsets[d]);
  }
  return { batch: { units, unitOffsets, spans, tokenOffsets }, tokens };
}

/** The features of some texts, on the calling thread. */
export function textFeatureBatch(texts: readonly string[], spec: DsirFeatureSpec, options: FeatureOptions = {}): FeatureBatch {
  const { batch, tokens } = packedTexts(texts, spec.kind);
  const counts = resolveBackend(options.backend).dsirBucketsSync(batch, { buckets: spec.buckets, threads: options.threads ?? 1 });
  return { counts, tokens };
}

/** As `textFeatureBatch`, with the native kernel off the JS thread (over `threads` threads). */
export async function textFeatureBatchAsync(texts: readonly string[], spec: DsirFeatureSpec, options: FeatureOptions = {}): Promise<FeatureBatch> {
  const { batch, tokens } = packedTexts(texts, spec.kind);
  const counts = await resolveBackend(options.backend).dsirBuckets(batch, { buckets: spec.buckets, threads: options.threads });
  return { counts, tokens };
}

/** The features of `views`, on the calling thread. */
export function featureBatch(views: readonly TextView[], spec: DsirFeatureSpec, options: FeatureOptions = {}): FeatureBatch {
  const { batch, tokens } = packed(views, spec.kind);
  const counts = resolveBackend(options.backend).dsirBucketsSync(batch, { buckets: spec.buckets, threads: options.threads ?? 1 });
  return { counts, tokens };
}


/**
 * One document's features as the reference's `*.dsir_hash_features.jsonl.gz` line: Python
 * `json.dumps({"id": id, "nonzero": [[bucket, count], …]})`, buckets ascending, non-ASCII escaped.
 */
export function featuresLine(id: string, counts: SparseCounts, doc: number): string {
  const parts: string[] = [];
  for (let k = counts.docOffsets[doc]; k < counts.docOffsets[doc + 1]; k++) parts.push(`[${counts.buckets[k]}, ${counts.counts[k]}]`);
  return `{"id": ${pythonJsonString(id)}, "nonzero": [${parts.join(', ')}]}`;
}

/** A string as Python's `json.dumps` writes it (`ensure_ascii`): every non-ASCII unit as `\uXXXX`. */
function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
