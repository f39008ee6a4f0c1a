import { registerSignalFamily } from '../signals/index.js';
import type { SignalDefinition } from './signal.js';

/** Options of {@link registerSignal}. */
export interface RegisterSignalOptions {
  /**
   * The version of the signal's definition, written beside its values in Parquet metadata and part
   * of the key that decides whether a resumed run may reuse a shard; bump it when the definition
   * changes.
   * @default 1
   */
  readonly version?: number;
}

/**
 * Registers one signal as a family of its own (the family id is the signal's name), so that
 * `computeSignals`, recipes and `listSignals` know it by name. A name already registered throws.
 *
 * Registration lives in the calling thread: runs that compute the signal must use `workers: 1`,
 * since worker threads load only the built-in signals.
 *
 * @example
 * registerSignal({
 *   name: 'my_doc_frac_digit_chars', level: 'doc', type: 'f64',
 *   description: 'ASCII digits over all characters.',
 *   compute: (view) => (view.length === 0 ? null : (view.raw.match(/[0-9]/g) ?? []).length / view.length),
 * });
 * await runRecipe({ recipe: 'few-digits.yaml', inputs: ['shard.jsonl'], out: 'out/run', workers: 1 });
 */
export function registerSignal(signal: SignalDefinition, options: RegisterSignalOptions = {}): void {
  registerSignalFamily({ id: signal.name, version: options.version ?? 1, signals: [signal] });
}
