import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { SieveError } from '../src/errors.js';
import { TextView } from '../src/text/index.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = resolve(ROOT, '..', 'shared');

/** Path into ../shared; fails loudly (never skips) when the shared data is not beside the checkout. */
export function shared(...parts: string[]): string {
  if (!existsSync(SHARED)) {
    throw new Error(`../shared is missing: the tests need the shared reference data and corpora at ${SHARED} (CI clones it beside the checkout)`);
  }
  const p = join(SHARED, ...parts);
  if (!existsSync(p)) throw new Error(`shared file missing: ${p}`);
  return p;
}

export function tempDir(prefix = 'sieve-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (`bin/sieve.js`, as `npx sieve` does). */
export function sieve(args: readonly string[], options: { input?: string | Buffer; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'sieve.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a query with DuckDB (an independent Parquet reader) and returns rows as JSON-safe objects. */
export async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Reads a gzip'd JSON-lines file fully (test data only). */
export async function readJsonlGz(path: string): Promise<Record<string, unknown>[]> {
  const { gunzipSync } = await import('node:zlib');
  const { readFileSync } = await import('node:fs');
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A reference document for parity tests: the corpus text's view and the reference's `quality_signals`. */
export interface ParityDoc {
  readonly id: string;
  readonly view: TextView;
  readonly signals: Record<string, Array<[number, number, number | null]>>;
}

/** The three corpora with reference values (3,469 documents), each record paired with its reference line by id. */
export async function loadParityDocs(): Promise<ParityDoc[]> {
  const docs: ParityDoc[] = [];
  for (const name of ['web/web_docs', 'quality/dclm_human_quality', 'spam/spamassassin_spam_bodies']) {
    const inputs = await readJsonlGz(shared('corpus', `${name}.jsonl.gz`));
    const refs = await readJsonlGz(shared('reference', `${name.split('/')[1]}.signals.jsonl.gz`));
    if (inputs.length !== refs.length) throw new SieveError('E_INPUT_FIELD', `${name}: ${inputs.length} documents but ${refs.length} reference lines`);
    inputs.forEach((input, i) => {
      if (refs[i].id !== input.id) throw new SieveError('E_INPUT_FIELD', `${name} line ${i + 1}: id ${String(input.id)} vs reference ${String(refs[i].id)}`);
      docs.push({ id: String(input.id), view: new TextView(String(input.text)), signals: refs[i].quality_signals as ParityDoc['signals'] });
    });
  }
  return docs;
}

/** The web corpus cut into `n` gzipped JSON-lines shards in a fresh folder, so runs have several shards to share out. */
export async function shardedWebCorpus(n: number): Promise<string> {
  const docs = await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'));
  const dir = join(tempDir(), 'shards');
  mkdirSync(dir);
  const per = Math.ceil(docs.length / n);
  for (let s = 0; s < n; s++) {
    const lines = docs.slice(s * per, (s + 1) * per).map((d) => JSON.stringify(d) + '\n');
    writeFileSync(join(dir, `part-${s}.jsonl.gz`), gzipSync(lines.join('')));
  }
  return dir;
}

/** mulberry32: a small seeded PRNG in [0, 1), so randomised tests reproduce their failures. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
