/**
 * Peak memory against corpus size (issue 9): RSS must stay flat in the number and the size of shards,
 * because shards are streamed batch by batch and never collected in memory.
 *
 *   npm run bench:memory                      (node --import tsx bench/memory.ts [--copies 20] [--workers 2])
 *
 * Writes the web corpus (../shared/corpus/web/web_docs.jsonl.gz, 1,094 documents, 9.8 MB) as
 * gzip'd JSON lines under .bench/memory, three ways: 1× as 2 shards (its two halves, so that both
 * workers run at 1× too, rather than one shard read in the main thread); 20× as 40 shards (20 copies
 * of the halves, ids made distinct); 20× as 2 shards, each 20 times as large. It then runs the built
 * CLI on each, `sieve run recipes/gopher.yaml` and `sieve signals`, with `--workers 2` under
 * `/usr/bin/time -f %M`, and prints each peak RSS and its ratio to the 1× run of the same command
 * (target: ≤ 1.5).
 */

import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createGzip, gunzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const COPIES = Number(arg('--copies', '20'));
const WORKERS = arg('--workers', '2');
const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.bench', 'memory');
const TIME = '/usr/bin/time';

if (!existsSync(TIME)) {
  console.error(`${TIME} is missing: install GNU time (Debian: apt-get install time)`);
  process.exit(1);
}
if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('the CLI is not built: run `npm run build` first (npm run bench:memory does)');
  process.exit(1);
}

const records = gunzipSync(readFileSync(join(ROOT, '..', 'shared', 'corpus', 'web', 'web_docs.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as Record<string, unknown>);

const halves = [records.slice(0, records.length >> 1), records.slice(records.length >> 1)];

/** Copies `from` to `to` of one half of the corpus, each copy's ids suffixed so that no id repeats. */
function* copiesOf(half: number, from: number, to: number): Generator<string> {
  for (let k = from; k < to; k++) for (const r of halves[half]) yield JSON.stringify({ ...r, id: `${String(r.id)}/copy-${k}` }) + '\n';
}

async function writeShard(path: string, lines: Iterable<string>): Promise<void> {
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(path));
  for (const line of lines) if (!gzip.write(line)) await once(gzip, 'drain');
  gzip.end();
  await done;
}

interface Layout {
  readonly name: string;
  readonly dir: string;
  readonly documents: number;
}

async function layouts(): Promise<Layout[]> {
  rmSync(WORK, { recursive: true, force: true });
  const one = join(WORK, 'x1');
  const many = join(WORK, `x${COPIES}-shards`);
  const large = join(WORK, `x${COPIES}-large-shards`);
  for (const d of [one, many, large]) mkdirSync(d, { recursive: true });
  for (const half of [0, 1]) {
    await writeShard(join(one, `web-${half}.jsonl.gz`), copiesOf(half, 0, 1));
    for (let k = 0; k < COPIES; k++) await writeShard(join(many, `web-${half}-${String(k).padStart(2, '0')}.jsonl.gz`), copiesOf(half, k, k + 1));
    await writeShard(join(large, `web-${half}.jsonl.gz`), copiesOf(half, 0, COPIES));
  }
  return [
    { name: '1× (2 shards)', dir: one, documents: records.length },
    { name: `${COPIES}× (${2 * COPIES} shards)`, dir: many, documents: COPIES * records.length },
    { name: `${COPIES}× (2 shards, ${COPIES}× as large)`, dir: large, documents: COPIES * records.length },
  ];
}

/** Peak RSS in MB and wall seconds of one CLI run; fails loudly if the run fails. */
function measure(cliArgs: readonly string[]): { peakMb: number; seconds: number } {
  const started = performance.now();
  const r = spawnSync(TIME, ['-f', '%M', process.execPath, join(ROOT, 'bin', 'sieve.js'), ...cliArgs], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const lines = r.stderr.trim().split('\n');
  const kb = Number(lines[lines.length - 1]);
  if (r.status !== 0 || !Number.isFinite(kb)) throw new Error(`sieve ${cliArgs.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { peakMb: kb / 1024, seconds };
}

const COMMANDS: readonly { readonly name: string; readonly args: (input: string, out: string) => string[] }[] = [
  { name: 'sieve run recipes/gopher.yaml', args: (input, out) => ['run', join(ROOT, 'recipes', 'gopher.yaml'), input, '--out', out] },
  { name: 'sieve signals', args: (input, out) => ['signals', input, '--out', out] },
];

const all = await layouts();
console.log(`peak RSS (/usr/bin/time %M), --workers ${WORKERS}, web corpus ${records.length} documents per copy`);
console.log(['command', 'corpus', 'documents', 'peak RSS', 'ratio to 1×', 'wall'].join('\t'));
for (const command of COMMANDS) {
  let base = 0;
  for (const layout of all) {
    const out = join(WORK, 'out');
    rmSync(out, { recursive: true, force: true });
    const { peakMb, seconds } = measure([...command.args(layout.dir, out), '--workers', WORKERS]);
    if (base === 0) base = peakMb;
    console.log([command.name, layout.name, layout.documents, `${peakMb.toFixed(0)} MB`, (peakMb / base).toFixed(2), `${seconds.toFixed(1)} s`].join('\t'));
  }
}
rmSync(WORK, { recursive: true, force: true });
