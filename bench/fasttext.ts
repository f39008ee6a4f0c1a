/**
 * fastText inference speed, per core: predictions/s on the lingua test sentences (74,141) and on
 * the web documents (1,094, RPv2 classifier input), k = 1, for lid.176.ftz (quantized, hierarchical
 * softmax, 176 labels), the quality fixture `.bin` (dense, dim 8, subwords and bigrams), the same
 * widened with zeros to dim 100 (zeros cost what real values do), and that without subwords and
 * bigrams: the shape of RPv2's classifiers (fastText's supervised defaults, dim 100). Rates use this process's CPU time, so they are per core even on a busy machine;
 * wall-clock rates are printed beside them. With Debian's python3-fasttext present, fastText's own
 * C++ is timed on the same texts. Last, the memory of a run whose workers share a 1 GB model
 * (the built package, so the script builds first).
 *
 *   npm run bench:fasttext [-- --rounds 5]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classifierText } from '../signals/classifiers.js';
import { FastTextModel, loadModelData } from '../src/fasttext/index.js';
import { TextView } from '../src/text/index.js';
import { writePaddedModel } from '../test/fasttext/padded-model.js';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = resolve(ROOT, '..', 'shared');
const BENCH = join(ROOT, '.bench');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const WIDE_DIM = 7000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function jsonl(path: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The quality fixture widened with zeros to `dim` (dim 7,000: a 1 GB model); `wordsOnly` drops its subwords and bigrams. */
async function wideModel(dim: number, wordsOnly = false): Promise<string> {
  const path = join(BENCH, `quality-dim${dim}${wordsOnly ? '-words' : ''}.bin`);
  if (!existsSync(path)) {
    mkdirSync(BENCH, { recursive: true });
    writePaddedModel(await loadModelData(join(ROOT, 'fixtures', 'fasttext', 'quality.bin')), path, dim, wordsOnly ? { minn: 0, maxn: 0, wordNgrams: 1 } : {});
  }
  return path;
}

/** Best of `rounds` passes after a warm-up: predictions per CPU-second and per wall-second. */
function rates(model: FastTextModel, texts: readonly string[]): { cpu: number; wall: number } {
  let cpu = Infinity;
  let wall = Infinity;
  for (let r = 0; r <= rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) model.predict(t, 1);
    const c = process.cpuUsage(c0);
    if (r === 0) continue;
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { cpu: texts.length / cpu, wall: texts.length / wall };
}

/**
 * Peak RSS (MB) of a child process (running the built package) that either runs `sieve signals
 * --workers 2` on two shards with a classifier (the model loaded once and shared), or loads the
 * model in the main thread and in two worker threads, each its own copy.
 */
function peakRss(mode: 'shared' | 'copies', path: string): number {
  const dist = (file: string) => JSON.stringify(join(ROOT, 'dist', 'src', file));
  const copy = join(BENCH, 'quickstart-copy.jsonl');
  writeFileSync(copy, readFileSync(join(ROOT, 'fixtures', 'quickstart.jsonl')));
  const inputs = JSON.stringify([join(ROOT, 'fixtures', 'quickstart.jsonl'), copy]);
  const load = `import(${dist('fasttext/index.js')}).then((m) => m.FastTextModel.load(${JSON.stringify(path)}))`;
  const work =
    mode === 'shared'
      ? `const { computeSignals } = await import(${dist('pipeline/compute-signals.js')});
         await computeSignals({ inputs: ${inputs}, out: ${JSON.stringify(join(BENCH, 'out-memory'))}, workers: 2, signals: ['fasttext:wide'], classifiers: [{ name: 'wide', path: ${JSON.stringify(path)} }] });`
      : `const { Worker } = await import('node:worker_threads');
         await ${load};
         const code = ${JSON.stringify(`${load}.then(() => import('node:worker_threads')).then((w) => w.parentPort.postMessage('loaded'))`)};
         await Promise.all([0, 1].map(() => new Promise((done, fail) => new Worker(code, { eval: true }).once('message', done).once('error', fail))));`;
  const script = `${work}\nconsole.log(Math.round(process.resourceUsage().maxRSS / 1024));\nprocess.exit(0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim().split('\n').pop());
}

async function main(): Promise<void> {
  const sentences = jsonl(join(SHARED, 'corpus', 'langid', 'lingua_langid_testdata.jsonl.gz')).filter((r) => r.kind === 'sentence').map((r) => String(r.text));
  const documents = jsonl(join(SHARED, 'corpus', 'web', 'web_docs.jsonl.gz')).map((r) => classifierText(new TextView(String(r.text))));
  const sets = [
    { name: 'sentences', texts: sentences, chars: sentences.reduce((n, t) => n + t.length, 0) },
    { name: 'documents', texts: documents, chars: documents.reduce((n, t) => n + t.length, 0) },
  ];
  const models = [
    { name: 'lid.176.ftz', path: join(SHARED, 'corpus', 'models', 'lid.176.ftz') },
    { name: 'quality.bin (dim 8)', path: join(ROOT, 'fixtures', 'fasttext', 'quality.bin') },
    { name: 'quality.bin widened to dim 100', path: await wideModel(100) },
    { name: 'dim 100, words only (RPv2 shape)', path: await wideModel(100, true) },
  ];
  console.log(`predict(text, k = 1), one thread, best of ${rounds}: ${fmt(sentences.length)} lingua sentences (${(sets[0].chars / sentences.length).toFixed(0)} chars avg), ${fmt(documents.length)} web documents (${(sets[1].chars / documents.length).toFixed(0)} chars avg)`);
  for (const m of models) {
    const t0 = performance.now();
    const model = await FastTextModel.load(m.path);
    const loadMs = performance.now() - t0;
    for (const set of sets) {
      const r = rates(model, set.texts);
      const chars = (r.cpu * set.chars) / set.texts.length / 1e6;
      console.log(`  ${m.name.padEnd(33)} ${set.name.padEnd(9)} ${fmt(r.cpu).padStart(7)}/s per core (${chars.toFixed(2)} M chars/s), wall ${fmt(r.wall)}/s, load ${loadMs.toFixed(0)} ms`);
    }
  }

  if (spawnSync('/usr/bin/python3', ['-c', 'import fasttext']).status === 0) {
    mkdirSync(BENCH, { recursive: true });
    for (const set of sets) writeFileSync(join(BENCH, `${set.name}.json`), JSON.stringify(set.texts));
    const script = [
      'import fasttext, json, sys, time',
      'm = fasttext.load_model(sys.argv[1])',
      'for name in ("sentences", "documents"):',
      '    texts = json.load(open(sys.argv[2] + "/" + name + ".json"))',
      '    best = 1e9',
      `    for r in range(${rounds}):`,
      '        t0 = time.process_time()',
      '        for t in texts: m.predict(t, k=1)',
      '        best = min(best, time.process_time() - t0)',
      '    print(f"{name} {len(texts) / best:.0f}")',
    ].join('\n');
    console.log('Debian python3-fasttext 0.9.2 (fastText C++, one Python call per text), per CPU-second:');
    for (const m of models) {
      const r = spawnSync('/usr/bin/python3', ['-c', script, m.path, BENCH], { encoding: 'utf8' });
      const got = r.stdout.trim().split('\n').map((l) => l.split(' '));
      console.log(`  ${m.name.padEnd(33)} ${got.map(([name, rate]) => `${name} ${fmt(Number(rate))}/s`).join(', ')}`);
    }
  } else {
    console.log('Debian python3-fasttext is not installed: no comparison with fastText itself');
  }

  const wide = await wideModel(WIDE_DIM);
  console.log(`memory with a ${((35_553 * WIDE_DIM * 4) / 1e9).toFixed(2)} GB dense model and two worker threads (peak RSS of the process):`);
  console.log(`  sieve signals --workers 2, the model loaded once and shared: ${fmt(peakRss('shared', wide))} MB`);
  console.log(`  main thread and two workers each loading their own copy:    ${fmt(peakRss('copies', wide))} MB`);
}

await main();
