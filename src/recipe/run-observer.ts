import type { RuleColumns } from './columns.js';
import { lineOffsets, type DocumentState } from './document-columns.js';
import type { RuleStep } from './recipe.js';
import { DistributionRecorder } from './run-distributions.js';
import { SampleCollector } from './run-samples.js';

/**
 * What `sieve run` records for `sieve report` while it applies a recipe to one shard: the value
 * distributions each step saw and sample documents. The recipe task calls it at each step with
 * the columns the step evaluated, so nothing is computed twice.
 */
export class RunObserver {
  readonly #index: Map<RuleStep, number>;
  readonly #distributions: DistributionRecorder;
  readonly #samples: SampleCollector;

  constructor(steps: readonly RuleStep[], samples: number) {
    this.#index = new Map(steps.map((s, i) => [s, i]));
    this.#distributions = new DistributionRecorder(steps);
    this.#samples = new SampleCollector(samples, steps.map((s) => s.name));
  }

  /** A batch as read, before any step. */
  input(states: readonly DocumentState[]): void {
    this.#distributions.input(states);
  }

  /** A keep step's verdicts, one per document (1 = kept). */
  keep(step: RuleStep, cols: RuleColumns, states: readonly DocumentState[], pass: Uint8Array): void {
    let offsets: Int32Array | undefined;
    this.#distributions.step(this.#stepIndex(step), cols, pass, () => (offsets ??= lineOffsets(states)));
    this.#sampleDropped(step, states, pass);
  }

  /** A keep_lines step's verdicts, one per line, before the lines are dropped. */
  keepLines(step: RuleStep, cols: RuleColumns, states: readonly DocumentState[], linePass: Uint8Array): void {
    const offsets = lineOffsets(states);
    const pass = new Uint8Array(states.length);
    for (let i = 0; i < states.length; i++) {
      for (let j = offsets[i]; j < offsets[i + 1]; j++) {
        if (linePass[j] === 1) {
          pass[i] = 1;
          break;
        }
      }
    }
    this.#distributions.step(this.#stepIndex(step), cols, pass, () => offsets, linePass);
    this.#sampleDropped(step, states, pass);
  }

  /** The documents the recipe kept, with their final texts. */
  kept(states: readonly DocumentState[]): void {
    this.#distributions.kept(states);
    for (const s of states) this.#samples.kept(s);
  }

  /** Writes `distributions/<name>.json` and, when samples were asked for, `samples/<name>.jsonl.gz`. */
  async write(outDir: string, name: string): Promise<string[]> {
    return Promise.all([this.#distributions.write(outDir, name), ...(this.#samples.limit > 0 ? [this.#samples.write(outDir, name)] : [])]);
  }

  #stepIndex(step: RuleStep): number {
    return this.#index.get(step) as number;
  }

  #sampleDropped(step: RuleStep, states: readonly DocumentState[], pass: Uint8Array): void {
    for (let i = 0; i < states.length && this.#samples.wantsDropped(step.name); i++) {
      if (pass[i] === 0) this.#samples.dropped(step.name, states[i]);
    }
  }
}

