/**
 * The options of a recipe's `resample: { method: dsir, target: FILES, k: N }` step, checked: what
 * the corpus-wide step needs to fit its model (target files; the raw side is the documents that
 * reach the step) and to select (k or fraction, seed).
 */

import { SieveError, type SourceIssue } from '../errors.js';
import { checkFeatureSpec, featureSpecProblems, type DsirFeatureSpec } from './features.js';
import { parseSeed } from './gumbel.js';

/** A checked `resample` step. */
export interface DsirResampleStep {
  readonly method: 'dsir';
  /** Files or directories of the target corpus. */
  readonly target: readonly string[];
  readonly k?: number;
  readonly fraction?: number;
  /** @default 0n */
  readonly seed: bigint;
  /** @default RPv2's: `rpv2`, 10,000 buckets */
  readonly features: DsirFeatureSpec;
}

const KEYS = ['method', 'name', 'target', 'k', 'fraction', 'seed', 'features', 'buckets'] as const;

/**
 * Checks a `resample` step's options (as the recipe parser hands them over) and reports every
 * problem at once, at the step's line.
 */
export function parseResampleStep(options: Readonly<Record<string, unknown>>, file: string, line: number): DsirResampleStep {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (!(KEYS as readonly string[]).includes(key)) problems.push(`unknown key "${key}" in a resample step (it takes ${KEYS.join(', ')})`);
  if (options.method !== 'dsir') problems.push(`resample needs \`method: dsir\`, got ${JSON.stringify(options.method)}`);
  const target = typeof options.target === 'string' ? [options.target] : options.target;
  if (!Array.isArray(target) || target.length === 0 || !target.every((t) => typeof t === 'string' && t.length > 0)) {
    problems.push('`target` must be a file or directory, or a list of them');
  }
  const { k, fraction } = options;
  if ((k === undefined) === (fraction === undefined)) problems.push('give exactly one of `k` (documents) and `fraction` (share)');
  if (k !== undefined && !(typeof k === 'number' && Number.isSafeInteger(k) && k >= 0 && k <= 0xffffffff)) problems.push(`\`k\` must be an integer from 0 to 2^32 − 1, got ${JSON.stringify(k)}`);
  if (fraction !== undefined && !(typeof fraction === 'number' && fraction >= 0 && fraction <= 1)) problems.push(`\`fraction\` must be a number from 0 to 1, got ${JSON.stringify(fraction)}`);
  const seed = typeof options.seed === 'number' || typeof options.seed === 'string' ? parseSeed(options.seed) : options.seed === undefined ? 0n : undefined;
  if (seed === undefined) problems.push(`\`seed\` must be an integer from 0 to 2^64 − 1, got ${JSON.stringify(options.seed)}`);
  const featureSpec = { kind: options.features, buckets: options.buckets };
  problems.push(...featureSpecProblems(featureSpec));
  if (problems.length > 0 || seed === undefined) {
    const issues: SourceIssue[] = problems.map((message) => ({ file, line, column: 1, message }));
    throw new SieveError('E_RECIPE', `${problems.length} problem(s) in the resample step at ${file}:${line}`, { issues, location: { file, line } });
  }
  return Object.freeze({
    method: 'dsir',
    target: Object.freeze([...(target as string[])]),
    ...(k !== undefined ? { k: k as number } : {}),
    ...(fraction !== undefined ? { fraction: fraction as number } : {}),
    seed,
    features: checkFeatureSpec(featureSpec),
  });
}
