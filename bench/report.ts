/**
 * What the report costs (issue 10), on the 1,094 web documents, one worker, best of 3:
 *  1. during `sieve run`: the time spent recording distributions and samples, as a share of the run;
 *  2. `sieve report`: building the page from the run's files alone (--no-explain), and with the
 *     overlap table, which re-reads the inputs as `sieve explain` does.
 *
 *   npm run bench:report
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runRecipe } from '../src/recipe/run-recipe.js';
import { RunObserver } from '../src/recipe/run-observer.js';
import { buildReport } from '../src/report/build-report.js';

const root = resolve(import.meta.dirname, '..');
const web = resolve(root, '..', 'shared', 'corpus', 'web', 'web_docs.jsonl.gz');
const dir = join(root, '.bench', 'report');
const ROUNDS = 3;

// Every observer call is timed, including the awaited file writes.
let observing = 0;
const proto = RunObserver.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['input', 'keep', 'keepLines', 'kept', 'write']) {
  const original = proto[method];
  proto[method] = function timed(this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(() => (observing += performance.now() - started));
    observing += performance.now() - started;
    return result;
  };
}

for (const recipe of ['gopher', 'c4']) {
  let best = { total: Number.POSITIVE_INFINITY, observer: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    observing = 0;
    const started = performance.now();
    await runRecipe({ recipe: join(root, 'recipes', `${recipe}.yaml`), inputs: [web], out: join(dir, recipe), workers: 1 });
    const total = performance.now() - started;
    if (total < best.total) best = { total, observer: observing };
  }
  console.log(`sieve run ${recipe}.yaml: ${best.total.toFixed(0)} ms (${Math.round(1094 / (best.total / 1000))} docs/s); recording for the report ${best.observer.toFixed(1)} ms = ${((100 * best.observer) / best.total).toFixed(1)} %`);
}

for (const explain of [false, true]) {
  let best = Number.POSITIVE_INFINITY;
  const out = join(dir, `report-${explain}.html`);
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await buildReport({ run: join(dir, 'gopher'), out, explain, workers: 1 });
    best = Math.min(best, performance.now() - started);
  }
  console.log(`sieve report (gopher run${explain ? ', with the overlap table' : ', --no-explain'}): ${best.toFixed(0)} ms, ${(statSync(out).size / 1024).toFixed(0)} KiB`);
}
