/**
 * A DSIR model: the bag-of-n-gram counts and Poisson λ of a target corpus (p) and of the raw
 * corpus it is compared with (q), stored as one small JSON file (format in docs/dsir.md).
 */

import { readFile, writeFile } from 'node:fs/promises';
import { SieveError } from '../errors.js';
import { writeAtomically } from '../io/atomic-file.js';
import type { DsirCorpusCounts } from './counts.js';
import { checkFeatureSpec, type DsirFeatureSpec } from './features.js';

/** The `format` field of every model file. */
export const DSIR_MODEL_FORMAT = 'pajama-sieve/dsir-model';
/** The `version` field of the model files this release writes and reads. */
export const DSIR_MODEL_VERSION = 1;

/** One side of a model. */
export interface DsirModelSide {
  /** Documents counted (empty ones included). */
  readonly documents: number;
  /** Tokens of those documents. */
  readonly tokens: number;
  /** Poisson λ: mean tokens per document (the reference's `lambda.npy`). */
  readonly lambda: number;
  /** Per bucket, the unigram + bigram count (the reference's `counts.npy`); length = buckets. */
  readonly counts: Float64Array;
  /** The inputs counted, as given. */
  readonly sources: readonly string[];
}

/** A fitted model: p (target) and q (raw) over one feature space. */
export interface DsirModel {
  readonly features: DsirFeatureSpec;
  readonly target: DsirModelSide;
  readonly raw: DsirModelSide;
}

function side(c: DsirCorpusCounts, sources: readonly string[], role: string): DsirModelSide {
  let total = 0;
  for (const v of c.counts) total += v;
  if (total === 0) {
    throw new SieveError('E_INPUT_EMPTY', `[dsir] the ${role} corpus has no tokens (${c.documents} documents): a model needs text on both sides`, {
      hint: `check the ${role} files and --text-field`,
    });
  }
  return { documents: c.documents, tokens: c.tokens, lambda: c.tokens / c.documents, counts: c.counts, sources: [...sources] };
}

/** Builds a model from the counts of a target corpus and a raw corpus (same feature space). */
export function fitDsirModel(target: DsirCorpusCounts, raw: DsirCorpusCounts, sources: { target?: readonly string[]; raw?: readonly string[] } = {}): DsirModel {
  if (target.spec.kind !== raw.spec.kind || target.spec.buckets !== raw.spec.buckets) {
    throw new SieveError('E_USAGE', '[dsir] the target and raw counts use different feature spaces');
  }
  return Object.freeze({
    features: { ...target.spec },
    target: side(target, sources.target ?? [], 'target'),
    raw: side(raw, sources.raw ?? [], 'raw'),
  });
}

/** Sparse `[[bucket, count], …]` of a dense count vector, buckets ascending. */
function nonzero(counts: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let b = 0; b < counts.length; b++) if (counts[b] !== 0) out.push([b, counts[b]]);
  return out;
}

/** The model file's text: the same model gives the same bytes. */
export function serializeDsirModel(model: DsirModel): string {
  const sideJson = (s: DsirModelSide) => ({ documents: s.documents, tokens: s.tokens, lambda: s.lambda, sources: s.sources, nonzero: nonzero(s.counts) });
  const lines = [
    '{',
    `  "format": ${JSON.stringify(DSIR_MODEL_FORMAT)},`,
    `  "version": ${DSIR_MODEL_VERSION},`,
    `  "features": ${JSON.stringify(model.features.kind)},`,
    `  "buckets": ${model.features.buckets},`,
    `  "target": ${JSON.stringify(sideJson(model.target))},`,
    `  "raw": ${JSON.stringify(sideJson(model.raw))}`,
    '}',
  ];
  return lines.join('\n') + '\n';
}

/** Writes a model file (`serializeDsirModel`), under a temporary name renamed when complete. */
export async function saveDsirModel(path: string, model: DsirModel): Promise<void> {
  const text = serializeDsirModel(model);
  await writeAtomically(path, (tmp) => writeFile(tmp, text));
}

function bad(path: string, message: string): never {
  throw new SieveError('E_INPUT_FORMAT', `[dsir] ${message}`, {
    location: { file: path },
    hint: 'a DSIR model is the JSON file `sieve dsir fit` writes (see docs/dsir.md)',
  });
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseSide(value: unknown, spec: DsirFeatureSpec, path: string, role: string): DsirModelSide {
  if (typeof value !== 'object' || value === null) bad(path, `"${role}" must be an object`);
  const v = value as Record<string, unknown>;
  if (!isCount(v.documents) || v.documents === 0) bad(path, `"${role}.documents" must be a positive integer`);
  if (!isCount(v.tokens)) bad(path, `"${role}.tokens" must be a non-negative integer`);
  if (typeof v.lambda !== 'number' || !Number.isFinite(v.lambda) || v.lambda < 0) bad(path, `"${role}.lambda" must be a finite number ≥ 0`);
  const sources = Array.isArray(v.sources) && v.sources.every((s) => typeof s === 'string') ? (v.sources as string[]) : bad(path, `"${role}.sources" must be a list of strings`);
  if (!Array.isArray(v.nonzero)) bad(path, `"${role}.nonzero" must be a list of [bucket, count] pairs`);
  const counts = new Float64Array(spec.buckets);
  let previous = -1;
  let total = 0;
  for (const [i, pair] of (v.nonzero as unknown[]).entries()) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isCount(pair[0]) || !isCount(pair[1]) || pair[1] === 0) {
      bad(path, `"${role}.nonzero[${i}]" must be [bucket, count] with a positive integer count`);
    }
    const [bucket, count] = pair as [number, number];
    if (bucket <= previous || bucket >= spec.buckets) bad(path, `"${role}.nonzero[${i}]": buckets must ascend and stay below ${spec.buckets}, got ${bucket}`);
    counts[bucket] = count;
    total += count;
    previous = bucket;
  }
  if (total === 0) bad(path, `"${role}" has no counts`);
  return { documents: v.documents, tokens: v.tokens, lambda: v.lambda, counts, sources };
}

/** Parses and checks a model file's text; problems name the file and the field. */
export function parseDsirModel(text: string, path: string): DsirModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SieveError('E_INPUT_PARSE', `[dsir] the model is not JSON: ${(err as Error).message}`, { location: { file: path }, cause: err });
  }
  if (typeof json !== 'object' || json === null) bad(path, 'the model must be a JSON object');
  const m = json as Record<string, unknown>;
  if (m.format !== DSIR_MODEL_FORMAT) bad(path, `"format" must be "${DSIR_MODEL_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== DSIR_MODEL_VERSION) bad(path, `unsupported version ${JSON.stringify(m.version)} (this build reads version ${DSIR_MODEL_VERSION})`);
  const features = checkFeatureSpec({ kind: m.features, buckets: m.buckets }, (message) => bad(path, message));
  return Object.freeze({ features, target: parseSide(m.target, features, path, 'target'), raw: parseSide(m.raw, features, path, 'raw') });
}

/** Reads a model file. */
export async function loadDsirModel(path: string): Promise<DsirModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SieveError('E_INPUT_MISSING', `[dsir] cannot read the model ${path}: ${(err as Error).message}`, { location: { file: path }, cause: err });
  }
  return parseDsirModel(text, path);
}
