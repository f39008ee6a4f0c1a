import type * as KeptSignals from './kept-signals.js';
import type * as Precomputed from './precomputed.js';

/**
 * The two modules that put signals in files or take them from files, both on Arrow, whose loading
 * costs ~7 ms of every `sieve run`: loaded on first use, for `--keep-signals` and `--signals`.
 */
export interface SignalFileModules {
  readonly kept: typeof KeptSignals;
  readonly precomputed: typeof Precomputed;
}

let modules: Promise<SignalFileModules> | undefined;

/** The modules, loaded once. */
export function signalFileModules(): Promise<SignalFileModules> {
  modules ??= Promise.all([import('./kept-signals.js'), import('./precomputed.js')]).then(([kept, precomputed]) => ({ kept, precomputed }));
  return modules;
}

/**
 * Hands the modules over loaded: the worker threads' entry does, because a worker running from
 * source under tsx resolves our static imports but not an import() of our modules.
 */
export function provideSignalFileModules(loaded: SignalFileModules): void {
  modules = Promise.resolve(loaded);
}
