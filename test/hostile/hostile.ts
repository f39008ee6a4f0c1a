/**
 * What the hostile-input tests share: running `sieve signals`, `sieve run` (the bundled Gopher
 * recipe) and `sieve dedup` the same way, the error-line assertion, and each command's manifest
 * read back as one shape of per-input counts.
 */

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, shared, type CliResult } from '../helpers.js';

export const COMMANDS = ['signals', 'run', 'dedup'] as const;
export type Command = (typeof COMMANDS)[number];

export const RECIPE = join(ROOT, 'recipes', 'gopher.yaml');

/** Runs the built CLI without blocking, so that independent runs share the cores. */
export function sieveAsync(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'sieve.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      const status = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs one command over `inputs` into `out`. */
export function runCommand(command: Command, inputs: readonly string[], out: string, extra: readonly string[] = []): Promise<CliResult> {
  const head = command === 'run' ? ['run', RECIPE] : [command];
  return sieveAsync([...head, ...inputs, '--out', out, ...extra]);
}

/**
 * A failed run: exit code 2 and one error line `sieve: CODE: … at file:line` (a hint line may
 * follow), with no stack trace and no raw control characters.
 */
export function assertErrorLine(r: CliResult, code: string, message: RegExp): void {
  assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  assert.match(lines[0], new RegExp(`^sieve: ${code}: `), r.stderr);
  assert.match(lines[0], message);
  assert.ok(lines.length === 1 || (lines.length === 2 && lines[1].startsWith('  hint: ')), `one error line and at most a hint:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/, 'no raw control characters on stderr');
}

/** Files a failed run left behind: outputs, temporary `.tmp` files, intermediate `.work` files. */
export function leftBehind(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(out.length + 1));
}

/** One input's counts in any command's manifest. */
export interface InputCounts {
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly rejected: number;
  readonly rejectedFile?: string;
  /** `sieve run`: kept, and dropped by rule. */
  readonly kept?: number;
  readonly dropped?: Readonly<Record<string, number>>;
  readonly outputs?: readonly string[];
  readonly duplicateIds?: { readonly count: number; readonly first: { readonly id: string; readonly location: { readonly file: string; readonly line?: number } } };
}

export interface ManifestCounts {
  readonly inputs: readonly InputCounts[];
  readonly totals: { readonly inputs: number; readonly documents: number; readonly rejected: number; readonly kept?: number; readonly duplicateIds?: number };
}

export function readManifest(out: string): ManifestCounts {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ManifestCounts;
}

/** One line of `rejected/<name>.jsonl`. */
export interface RejectedLine {
  readonly file: string;
  readonly line?: number;
  readonly record?: number;
  readonly byteOffset?: number;
  readonly code: string;
  readonly reason: string;
  readonly count?: number;
}

export function readRejected(out: string, entry: InputCounts): RejectedLine[] {
  if (entry.rejectedFile === undefined) return [];
  return readFileSync(join(out, entry.rejectedFile), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as RejectedLine);
}

/** The lines of a gzip'd JSON-lines output. */
export function gzLines(path: string): string[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
}

/**
 * The per-input invariants of a manifest: the totals are the sums of the inputs; with `sieve run`
 * every document is kept or dropped by one rule, and the kept file holds the kept records.
 */
export function assertManifestAddsUp(command: Command, out: string, m: ManifestCounts): void {
  assert.equal(m.totals.inputs, m.inputs.length);
  assert.equal(m.totals.documents, m.inputs.reduce((n, i) => n + i.documents, 0), 'total documents');
  assert.equal(m.totals.rejected, m.inputs.reduce((n, i) => n + i.rejected, 0), 'total rejected');
  for (const entry of m.inputs) {
    const rejected = readRejected(out, entry);
    assert.equal(rejected.reduce((n, r) => n + (r.count ?? 1), 0), entry.rejected, `${entry.name}: rejected/ lines against the manifest`);
    if (command !== 'run') continue;
    const dropped = Object.values(entry.dropped ?? {}).reduce((n, d) => n + d, 0);
    assert.equal((entry.kept ?? 0) + dropped, entry.documents, `${entry.name}: kept + dropped = documents`);
    const keptFile = (entry.outputs ?? []).find((o) => o.startsWith('kept/'));
    if (keptFile) assert.equal(gzLines(join(out, keptFile)).length, entry.kept, `${entry.name}: kept file lines`);
  }
}

/** Web documents as JSON lines (real text, so the recipe keeps some), ids made unique by `tag`. */
export function webLines(count: number, tag: string): string[] {
  const lines = gunzipSync(readFileSync(shared('corpus', 'web', 'web_docs.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l.length > 0);
  return Array.from({ length: count }, (_, i) => {
    const record = JSON.parse(lines[i % lines.length]) as Record<string, unknown>;
    return JSON.stringify({ ...record, id: `${tag}-${i}` });
  });
}

/** A short document line (a few words: every recipe rule sees it, few keep it). */
export function shortLine(i: number): string {
  return JSON.stringify({ id: `d${i}`, text: `Document number ${i} has a few words.\nAnd a second line.` });
}

const VOCABULARY = 'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there'.split(' ');

/** A document line of ten varied sentences (about 600 bytes), the same for the same `i`. */
export function sentencesLine(i: number): string {
  let seed = i + 1;
  const word = () => VOCABULARY[(seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % VOCABULARY.length];
  const sentences = Array.from({ length: 10 }, () => `${Array.from({ length: 10 }, word).join(' ')}.`);
  return JSON.stringify({ id: `s${i}`, text: sentences.join(' ') });
}
