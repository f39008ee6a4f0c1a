/** The options of a recipe's `dedup` step, checked: `{ method, threshold, key, keep, verify, memory }`. */

import { KEEP_RULES, type KeepRule } from './clusters.js';
import { DEDUP_THRESHOLDS } from './keys.js';
import { DEDUP_METHODS, parseExactKey, type DedupSpec } from './shard-keyer.js';

export interface DedupStepOptions {
  readonly spec: DedupSpec;
  readonly keep: KeepRule;
  /** Bytes for the linking stage. */
  readonly memory: number;
}

const KEYS = ['name', 'method', 'threshold', 'key', 'keep', 'verify', 'memory'];
export const DEFAULT_MEMORY = 1 << 30;

/** `512MB`, `2GB`, `1GiB` or a byte count, as bytes; undefined when it is none of these. */
export function parseMemory(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.round(value);
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim()) : null;
  if (!m) return undefined;
  const scale: Record<string, number> = { b: 1, kb: 1e3, kib: 2 ** 10, mb: 1e6, mib: 2 ** 20, gb: 1e9, gib: 2 ** 30 };
  return Math.round(Number(m[1]) * scale[(m[2] ?? 'b').toLowerCase()]);
}

/** Checks a dedup step's options; returns them, or the problems found (one message per problem). */
export function dedupStepOptions(options: Readonly<Record<string, unknown>>): DedupStepOptions | string[] {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KEYS.includes(k)) problems.push(`unknown option "${k}" in a dedup step (it takes ${KEYS.join(', ')})`);
  const method = options.method ?? 'minhash';
  if (!(DEDUP_METHODS as readonly unknown[]).includes(method)) problems.push(`dedup method must be ${DEDUP_METHODS.join(' or ')}, not ${JSON.stringify(method)}`);
  const threshold = options.threshold ?? 0.8;
  if (method === 'minhash' && !DEDUP_THRESHOLDS.some((t) => t === threshold)) problems.push(`dedup threshold must be one of ${DEDUP_THRESHOLDS.map((t) => t.toFixed(1)).join(', ')} (the RPv2 signature columns), not ${JSON.stringify(threshold)}`);
  let key: DedupSpec['key'] = 'text';
  try {
    key = parseExactKey(String(options.key ?? 'text'));
  } catch {
    problems.push(`dedup key must be text, normalized, url or field:NAME, not ${JSON.stringify(options.key)}`);
  }
  const keep = options.keep ?? (method === 'exact' ? 'first' : 'cluster-id');
  if (!(KEEP_RULES as readonly unknown[]).includes(keep)) problems.push(`dedup keep must be ${KEEP_RULES.join(' or ')}, not ${JSON.stringify(keep)}`);
  if (options.verify !== undefined && typeof options.verify !== 'boolean') problems.push('dedup verify must be true or false');
  const memory = options.memory === undefined ? DEFAULT_MEMORY : parseMemory(options.memory);
  if (memory === undefined) problems.push(`dedup memory must be a size such as 512MB or 2GB, not ${JSON.stringify(options.memory)}`);
  if (problems.length > 0) return problems;
  return {
    spec: { method: method as DedupSpec['method'], threshold: Number(threshold), key, verify: method === 'minhash' && options.verify === true },
    keep: keep as KeepRule,
    memory: memory as number,
  };
}
