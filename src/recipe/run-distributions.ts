import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { getSignal } from '../../signals/index.js';
import { writeAtomically } from '../io/atomic-file.js';
import type { RuleColumns } from './columns.js';
import type { RuleStep } from './recipe.js';
import { ValueCounter, type ValueCounts } from './value-counts.js';

export const DISTRIBUTIONS_DIR = 'distributions';

/** Distinct languages counted per shard; the rest are counted under {@link OTHER_LANGUAGES}. */
const MAX_LANGUAGES = 1000;
export const OTHER_LANGUAGES = '(other)';

/** The values one signal had at one step, split by that step's verdict. */
export interface SignalAtStep {
  readonly signal: string;
  readonly level: 'doc' | 'line';
  /** Documents (or lines, for a line signal) the step kept. */
  readonly passed: ValueCounts;
  /** Documents (or lines) the step dropped. */
  readonly dropped: ValueCounts;
}

/** What one step saw: the documents that reached it and its signals' values. */
export interface StepDistribution {
  readonly step: string;
  readonly kind: 'keep' | 'keep_lines';
  readonly documents: number;
  readonly signals: readonly SignalAtStep[];
}

/** `distributions/<name>.json`: per step, the recipe's signal values; lengths and languages in and out. */
export interface RunDistributions {
  readonly version: 1;
  readonly steps: readonly StepDistribution[];
  /** Text lengths in UTF-16 units (the manifest's character unit): input documents, and kept ones' final texts. */
  readonly lengths: { readonly input: ValueCounts; readonly kept: ValueCounts };
  /** Documents by the language their signals used (`--lang`, the document's field, else en). */
  readonly languages: { readonly input: Readonly<Record<string, number>>; readonly kept: Readonly<Record<string, number>> };
}

/** A document as the recorder sees it: its current text, language and line count. */
export interface RecordedDocument {
  readonly text: string;
  readonly ctx: { readonly lang: string };
  readonly view: { readonly lineEnds: ArrayLike<number> };
}

interface StepCounters {
  readonly step: RuleStep;
  documents: number;
  readonly signals: { readonly signal: string; readonly level: 'doc' | 'line'; readonly passed: ValueCounter; readonly dropped: ValueCounter }[];
}

/** Records, batch by batch, the distributions of one shard of `sieve run`. */
export class DistributionRecorder {
  readonly #steps: StepCounters[];
  readonly #inputLengths = new ValueCounter();
  readonly #keptLengths = new ValueCounter();
  readonly #inputLanguages = new Map<string, number>();
  readonly #keptLanguages = new Map<string, number>();

  constructor(steps: readonly RuleStep[]) {
    this.#steps = steps.map((step) => ({
      step,
      documents: 0,
      signals: [...step.rule.signals]
        .map((name) => getSignal(name).signal)
        .filter((s) => s.type === 'f64' || s.type === 'i64')
        .map((s) => ({ signal: s.name, level: s.level, passed: new ValueCounter(), dropped: new ValueCounter() })),
    }));
  }

  input(docs: readonly RecordedDocument[]): void {
    for (const d of docs) {
      this.#inputLengths.add(d.text.length);
      countLanguage(this.#inputLanguages, d.ctx.lang);
    }
  }

  kept(docs: readonly RecordedDocument[]): void {
    for (const d of docs) {
      this.#keptLengths.add(d.text.length);
      countLanguage(this.#keptLanguages, d.ctx.lang);
    }
  }

  /**
   * One step over a batch: `docPass[i]` is 1 when document `i` went on; for a line step `linePass`
   * holds the verdict of every line (documents' lines concatenated), and `lineOffsets` gives where
   * each document's lines start (called only for line signals: it may split texts into lines).
   * Reads only columns the step's evaluation already computed.
   */
  step(index: number, cols: RuleColumns, docPass: Uint8Array, lineOffsets: () => Int32Array, linePass?: Uint8Array): void {
    const at = this.#steps[index];
    at.documents += docPass.length;
    for (const s of at.signals) {
      if (s.level === 'doc') {
        const col = cols.doc(s.signal);
        if (!('values' in col)) continue;
        for (let i = 0; i < docPass.length; i++) {
          const v = col.valid?.[i] === 0 ? Number.NaN : col.values[i];
          (docPass[i] === 1 ? s.passed : s.dropped).add(v);
        }
      } else {
        const col = cols.lines(s.signal);
        const offsets = lineOffsets();
        for (let i = 0; i < docPass.length; i++) {
          for (let j = offsets[i]; j < offsets[i + 1]; j++) {
            const pass = linePass ? linePass[j] : docPass[i];
            (pass === 1 ? s.passed : s.dropped).add(col.values[j]);
          }
        }
      }
    }
  }

  result(): RunDistributions {
    return {
      version: 1,
      steps: this.#steps.map((at) => ({
        step: at.step.name,
        kind: at.step.kind,
        documents: at.documents,
        signals: at.signals.map((s) => ({ signal: s.signal, level: s.level, passed: s.passed.counts(), dropped: s.dropped.counts() })),
      })),
      lengths: { input: this.#inputLengths.counts(), kept: this.#keptLengths.counts() },
      languages: { input: sortedRecord(this.#inputLanguages), kept: sortedRecord(this.#keptLanguages) },
    };
  }

  /** Writes `distributions/<name>.json` under `outDir`; returns its path relative to `outDir`. */
  async write(outDir: string, name: string): Promise<string> {
    const path = join(DISTRIBUTIONS_DIR, `${name}.json`);
    const text = JSON.stringify(this.result()) + '\n';
    await writeAtomically(join(outDir, path), (tmp) => writeFile(tmp, text));
    return path;
  }
}

function countLanguage(counts: Map<string, number>, lang: string): void {
  const key = counts.has(lang) || counts.size < MAX_LANGUAGES ? lang : OTHER_LANGUAGES;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sortedRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
