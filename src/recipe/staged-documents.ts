/**
 * Documents between the stages of a recipe with corpus-wide steps: after the rules before a
 * `dedup` or `resample` step, each shard's surviving documents are written here, in order, with
 * their current text and everything needed to write the original record back at the end.
 */

import { stat } from 'node:fs/promises';
import type { Document } from '../document.js';
import type { ErrorLocation } from '../errors.js';
import { jsonReplacer } from '../io/jsonl-writer.js';
import { readDocuments } from '../io/read-documents.js';
import type { OnError } from '../io/read-options.js';

/** One staged line: the current text under `text`, the rest of the document under `staged`. */
interface StagedRecord {
  readonly id: string;
  readonly text: string;
  readonly staged: {
    readonly changed: boolean;
    readonly url?: string;
    readonly meta: Readonly<Record<string, unknown>>;
    readonly location: ErrorLocation;
    readonly raw?: string;
    readonly textField?: string;
  };
}

/** A document read back from a stage file, with whether line steps changed its text. */
export interface StagedDocument {
  readonly doc: Document;
  readonly text: string;
  readonly changed: boolean;
}

export function stagedLine(doc: Document, text: string, changed: boolean): string {
  const record: StagedRecord = { id: doc.id, text, staged: { changed, url: doc.url, meta: doc.meta, location: doc.location, raw: doc.raw, textField: doc.textField } };
  return JSON.stringify(record, jsonReplacer);
}

/** Reads a stage file back in batches, documents as they were when staged. */
export async function* readStaged(path: string, onError: OnError): AsyncGenerator<StagedDocument[]> {
  // A shard whose documents all fell before the step staged none: nothing to read.
  if ((await stat(path)).size === 0) return;
  for await (const batch of readDocuments(path, { format: 'jsonl', textField: 'text', idField: 'id', onError })) {
    yield batch.documents.map((d) => {
      const s = d.meta.staged as StagedRecord['staged'];
      const doc: Document = { id: d.id, text: d.text, url: s.url, meta: s.meta, location: s.location, raw: s.raw, textField: s.textField };
      return { doc, text: d.text, changed: s.changed };
    });
  }
}
