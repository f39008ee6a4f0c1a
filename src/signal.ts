import type { Document } from './document.js';
import type { FastTextClassifier, LanguageIdentifier } from './fasttext/index.js';
import type { DsirSignalModel } from './dsir/signal-models.js';
import type { TextView } from './text/index.js';

export const SIGNAL_LEVELS = ['doc', 'line'] as const;
/** `doc`: one value per document; `line`: one value per raw line. */
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];
export const SIGNAL_TYPES = ['f64', 'i64', 'str', 'bytes', 'bands'] as const;
/** The column type of a signal: numbers, a string, bytes, or a list of byte strings (MinHash bands). */
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** A column a signal produces: its RPv2 name, whether it is per document or per line, and its type. */
export interface SignalSpec {
  readonly name: string;
  readonly level: SignalLevel;
  readonly type: SignalType;
  /** One sentence: what the value means. */
  readonly description: string;
}

/** Data loaded once per run (per worker) that some signals need. */
export interface SignalResources {
  /** UT1 blacklist: domain → category-combination id (spec §4.7), from `--ut1 DIR`. */
  readonly ut1?: ReadonlyMap<string, number>;
  /** CCNet-style language id (`--lid-model`): ccnet_language(_score), and the language of documents that do not say. */
  readonly languageId?: LanguageIdentifier;
  /** fastText classifiers by name (`--classifier NAME=PATH`): rps_doc_ml_* and `fasttext:<name>`. */
  readonly classifiers?: ReadonlyMap<string, FastTextClassifier>;
  /** DSIR models by name (`--dsir NAME=MODEL`), for the importance signals. */
  readonly dsir?: ReadonlyMap<string, DsirSignalModel>;
}

/** What a signal may read beside the text: the document's fields, its language and loaded resources. */
export interface SignalContext {
  readonly doc: Document;
  /** ISO 639-1 code of the document's language (`--lang`, or a per-document field). */
  readonly lang: string;
  readonly resources: SignalResources;
}

/** A per-document number (f64 or i64); null where the reference gives None. */
export interface NumericDocSignal extends SignalSpec {
  readonly level: 'doc';
  readonly type: 'f64' | 'i64';
  compute(view: TextView, ctx: SignalContext): number | null;
}

/** A per-document string (a language code, a category); null where the reference gives None. */
export interface StringDocSignal extends SignalSpec {
  readonly level: 'doc';
  readonly type: 'str';
  compute(view: TextView, ctx: SignalContext): string | null;
}

/** Per-document bytes (a hash); null where the reference gives None. */
export interface BytesDocSignal extends SignalSpec {
  readonly level: 'doc';
  readonly type: 'bytes';
  compute(view: TextView, ctx: SignalContext): Uint8Array | null;
}

/**
 * A list of byte strings per document (MinHash bands), computed for a whole batch at once because
 * its kernel runs over many documents; stored as `list<binary>`. Null where the reference gives None.
 */
export interface BandsDocSignal extends SignalSpec {
  readonly level: 'doc';
  readonly type: 'bands';
  computeBatch(views: readonly TextView[]): (readonly Uint8Array[] | null)[];
  compute(view: TextView, ctx: SignalContext): readonly Uint8Array[] | null;
}

/** One value per raw line of the document, aligned with the `line_ends` column. */
export interface LineSignal extends SignalSpec {
  readonly level: 'line';
  readonly type: 'f64' | 'i64';
  compute(view: TextView, ctx: SignalContext): ArrayLike<number>;
}

/** A signal: its spec and how to compute it from a `TextView`; what `registerSignal` takes. */
export type SignalDefinition = NumericDocSignal | StringDocSignal | BytesDocSignal | BandsDocSignal | LineSignal;

/** A document-level value of any signal type. */
export type DocValue = number | string | Uint8Array | readonly Uint8Array[] | null;

/** A family of signals defined in one file; the version is bumped whenever a definition changes. */
export interface SignalFamily {
  readonly id: string;
  readonly version: number;
  readonly signals: readonly SignalDefinition[];
}
