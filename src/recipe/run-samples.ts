import { join } from 'node:path';
import { writeJsonl } from '../io/jsonl-writer.js';

/** How many documents `sieve run` keeps as samples per rule (dropped) and of the kept ones. */
export const DEFAULT_SAMPLES = 3;

/** A sample's text is cut at this many UTF-16 units: enough to see what a document is like. */
export const SAMPLE_TEXT_LIMIT = 4000;

export const SAMPLES_DIR = 'samples';

/** One sample document: dropped by a rule (its text as that rule saw it), or kept (its final text). */
export interface SampleRecord {
  readonly kind: 'dropped' | 'kept';
  /** The rule that dropped it; absent for kept documents. */
  readonly rule?: string;
  readonly id: string;
  readonly url?: string;
  /** Length of the whole text in UTF-16 units (the manifest's character unit). */
  readonly characters: number;
  readonly text: string;
  readonly truncated: boolean;
}

/** What a sample is taken from: a document's id, url and current text. */
export interface SampleSource {
  readonly doc: { readonly id: string; readonly url?: string };
  readonly text: string;
}

/**
 * The first `limit` documents each rule drops and the first `limit` kept, in input order, for one
 * shard. A shard is read by one task from start to end, so the samples do not depend on `--workers`.
 */
export class SampleCollector {
  readonly #dropped = new Map<string, SampleRecord[]>();
  readonly #kept: SampleRecord[] = [];

  constructor(
    readonly limit: number,
    rules: readonly string[],
  ) {
    for (const r of rules) this.#dropped.set(r, []);
  }

  /** True while the rule still wants samples (so callers skip the work otherwise). */
  wantsDropped(rule: string): boolean {
    return (this.#dropped.get(rule)?.length ?? this.limit) < this.limit;
  }

  dropped(rule: string, source: SampleSource): void {
    const list = this.#dropped.get(rule);
    if (list && list.length < this.limit) list.push(sample('dropped', source, rule));
  }

  kept(source: SampleSource): void {
    if (this.#kept.length < this.limit) this.#kept.push(sample('kept', source));
  }

  /** Dropped samples in recipe order, then the kept ones. */
  records(): SampleRecord[] {
    return [...[...this.#dropped.values()].flat(), ...this.#kept];
  }

  /** Writes `samples/<name>.jsonl.gz` under `outDir`; returns its path relative to `outDir`. */
  async write(outDir: string, name: string): Promise<string> {
    const path = join(SAMPLES_DIR, `${name}.jsonl.gz`);
    await writeJsonl(join(outDir, path), this.records());
    return path;
  }
}

function sample(kind: 'dropped' | 'kept', source: SampleSource, rule?: string): SampleRecord {
  const text = source.text;
  let cut = Math.min(text.length, SAMPLE_TEXT_LIMIT);
  // Never split a surrogate pair: the sample stays valid UTF-16.
  if (cut < text.length && cut > 0 && /[\ud800-\udbff]/.test(text[cut - 1])) cut--;
  return {
    kind,
    ...(rule !== undefined ? { rule } : {}),
    id: source.doc.id,
    ...(source.doc.url ? { url: source.doc.url } : {}),
    characters: text.length,
    text: text.slice(0, cut),
    truncated: cut < text.length,
  };
}
