import { SieveError } from '../src/errors.js';
import { closestNames } from '../src/suggest.js';
import type { SignalDefinition, SignalFamily } from '../src/signal.js';
import { ccnet } from './ccnet.js';
import { classifiers, fastTextSignal, FASTTEXT_SIGNAL_PREFIX } from './classifiers.js';
import { content } from './content.js';
import { importance, importanceSignals } from './importance.js';
import { lines } from './lines.js';
import { minhash } from './minhash.js';
import { naturalLanguage } from './natural-language.js';
import { repetition } from './repetition.js';

/** A registered signal with the family it belongs to. */
export interface RegisteredSignal {
  readonly family: SignalFamily;
  readonly signal: SignalDefinition;
}

const families = new Map<string, SignalFamily>();
const signals = new Map<string, RegisteredSignal>();

/** Adds a family and its signals; a name already taken by another family throws. */
export function registerSignalFamily(family: SignalFamily): void {
  if (families.has(family.id)) throw new SieveError('E_USAGE', `signal family "${family.id}" is already registered`);
  for (const signal of family.signals) {
    if (signals.has(signal.name)) throw new SieveError('E_USAGE', `signal "${signal.name}" is already registered`);
  }
  families.set(family.id, family);
  for (const signal of family.signals) signals.set(signal.name, { family, signal });
}

for (const family of [ccnet, content, repetition, naturalLanguage, lines, classifiers, importance, minhash]) registerSignalFamily(family);

/**
 * Adds the importance signals of DSIR models named beyond RPv2's three (`--dsir NAME=MODEL`) to the
 * `importance` family; names already registered are left as they are. Call it, in every thread,
 * before resolving signal names or parsing a recipe that uses them.
 */
export function registerImportanceSignals(names: readonly string[]): void {
  const added = names.filter((n) => !signals.has(`rps_doc_${n}_importance`)).flatMap((n) => importanceSignals(n));
  if (added.length === 0) return;
  const family = { ...importance, signals: [...(families.get(importance.id) ?? importance).signals, ...added] };
  families.set(family.id, family);
  for (const signal of family.signals) signals.set(signal.name, { family, signal });
}

const classifierSignals = new Map<string, RegisteredSignal>();

/** `fasttext:<name>` (any classifier name), made on first use; undefined for other names. */
function classifierSignal(name: string): RegisteredSignal | undefined {
  if (!name.startsWith(FASTTEXT_SIGNAL_PREFIX) || name.length === FASTTEXT_SIGNAL_PREFIX.length) return undefined;
  let found = classifierSignals.get(name);
  if (!found) {
    found = { family: classifiers, signal: fastTextSignal(name.slice(FASTTEXT_SIGNAL_PREFIX.length)) };
    classifierSignals.set(name, found);
  }
  return found;
}

/** The registered signal of that name (or `fasttext:<name>`); unknown names throw, naming the closest known ones. */
export function getSignal(name: string): RegisteredSignal {
  const found = signals.get(name) ?? classifierSignal(name);
  if (found) return found;
  return resolveSignals([name])[0];
}

/** Every registered signal, in registration order. */
export function listSignals(): RegisteredSignal[] {
  return [...signals.values()];
}

/** Every registered family, in registration order. */
export function listFamilies(): SignalFamily[] {
  return [...families.values()];
}

/**
 * Resolves a selection of signal names and family ids (empty = everything registered) to signals,
 * in registry order without repeats, then any `fasttext:<name>` in selection order. Unknown names
 * throw, naming the closest known ones.
 */
export function resolveSignals(selection: readonly string[] = []): RegisteredSignal[] {
  if (selection.length === 0) return listSignals();
  const wanted = new Set<string>();
  const dynamic = new Map<string, RegisteredSignal>();
  for (const item of selection) {
    const classifier = classifierSignal(item);
    if (classifier) {
      dynamic.set(item, classifier);
      continue;
    }
    const family = families.get(item);
    if (family) {
      for (const s of family.signals) wanted.add(s.name);
    } else if (signals.has(item)) {
      wanted.add(item);
    } else {
      const known = [...families.keys(), ...signals.keys()];
      const close = closestNames(item, known, 3);
      throw new SieveError('E_USAGE', `unknown signal or family "${item}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`, {
        hint: 'run `sieve list-signals` to see them all',
      });
    }
  }
  return [...listSignals().filter((r) => wanted.has(r.signal.name)), ...dynamic.values()];
}
