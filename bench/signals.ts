/**
 * Signal throughput on one core: every registered signal over the web documents, in process,
 * I/O excluded (the documents are read first), as the reference figure is measured. Prints
 * docs/s, chars/s, the ratio to the reference (143 docs/s, 1.1 M chars/s per core for its 28
 * signals), and where the time goes (TextView views, then each family). MinHash is left to
 * `bench:hash` (batch-wide; the reference figure excludes it too).
 *
 *   npm run bench:signals [-- --rounds 5]
 */
import { resolve } from 'node:path';
import { listFamilies } from '../signals/index.js';
import type { Document } from '../src/document.js';
import { readDocuments } from '../src/io/read-documents.js';
import type { SignalContext } from '../src/signal.js';
import { TextView } from '../src/text/index.js';

const REFERENCE_DOCS_PER_S = 143;
const REFERENCE_CHARS_PER_S = 1.1e6;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const input = resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'web', 'web_docs.jsonl.gz');

const docs: Document[] = [];
for await (const batch of readDocuments(input)) docs.push(...batch.documents);
let chars = 0;
for (const d of docs) chars += [...d.text].length;
// MinHash is batch-wide and the reference's 143 docs/s excludes it: `npm run bench:hash` times it.
const families = listFamilies().filter((f) => f.id !== 'minhash');
const signals = families.flatMap((f) => f.signals);

function runAll(): number {
  const t0 = performance.now();
  for (const doc of docs) {
    const view = new TextView(doc.text);
    const ctx: SignalContext = { doc, lang: 'en', resources: {} };
    for (const s of signals) s.compute(view, ctx);
  }
  return performance.now() - t0;
}

function breakdown(): Map<string, number> {
  const times = new Map<string, number>([['TextView views', 0], ...families.map((f): [string, number] => [f.id, 0])]);
  for (const doc of docs) {
    const view = new TextView(doc.text);
    const ctx: SignalContext = { doc, lang: 'en', resources: {} };
    let t = performance.now();
    void view.lines;
    void view.normalizedLines;
    void view.normalized;
    void view.rawWords;
    void view.normalizedWords;
    void view.vocabulary;
    void view.normalizedLineWordCounts;
    times.set('TextView views', times.get('TextView views')! + performance.now() - t);
    for (const f of families) {
      t = performance.now();
      for (const s of f.signals) s.compute(view, ctx);
      times.set(f.id, times.get(f.id)! + performance.now() - t);
    }
  }
  return times;
}

runAll(); // warm-up: JIT and the word lists
let best = Infinity;
for (let r = 0; r < rounds; r++) best = Math.min(best, runAll());
const seconds = best / 1000;
const docsPerS = docs.length / seconds;
const charsPerS = chars / seconds;
console.log(`${signals.length} signals in ${families.length} families, ${docs.length} web documents, ${(chars / 1e6).toFixed(1)} M code points, one core, best of ${rounds}`);
console.log(`  ${docsPerS.toFixed(0)} docs/s, ${(charsPerS / 1e6).toFixed(2)} M chars/s, ${best.toFixed(0)} ms per pass`);
console.log(`  vs reference (${REFERENCE_DOCS_PER_S} docs/s, ${REFERENCE_CHARS_PER_S / 1e6} M chars/s): ${(docsPerS / REFERENCE_DOCS_PER_S).toFixed(1)}x docs/s, ${(charsPerS / REFERENCE_CHARS_PER_S).toFixed(1)}x chars/s`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
const times = breakdown();
const total = [...times.values()].reduce((a, b) => a + b, 0);
console.log('where the time goes (one pass):');
for (const [k, v] of times) console.log(`  ${k.padEnd(18)} ${v.toFixed(0).padStart(6)} ms  ${((100 * v) / total).toFixed(0).padStart(3)} %`);
