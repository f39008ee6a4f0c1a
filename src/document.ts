import type { ErrorLocation } from './errors.js';

/** One input document. `meta` holds every other field of the input record, untouched. */
export interface Document {
  readonly id: string;
  readonly text: string;
  readonly url?: string;
  readonly meta: Readonly<Record<string, unknown>>;
  /** Where the document came from: file and 1-based line (JSON lines) or record number. */
  readonly location: ErrorLocation;
  /** The input record as read (JSON lines with `keepRaw`), so kept documents are written back unchanged. */
  readonly raw?: string;
  /** `raw`'s UTF-8 bytes, as read (JSON lines with `keepRaw`): written back without encoding the text again. */
  readonly rawBytes?: Uint8Array;
  /** The field the text was taken from. */
  readonly textField?: string;
}

/** An input record that could not become a document, with the reason. */
export interface Rejection {
  readonly location: ErrorLocation;
  readonly code: string;
  readonly reason: string;
  /** How many records this rejection stands for (a whole unreadable file or column). @default 1 */
  readonly count?: number;
}

/** The streaming unit: a run of documents from one shard, plus what was rejected on the way. */
export interface DocumentBatch {
  readonly shard: string;
  readonly documents: Document[];
  readonly rejected: Rejection[];
}
