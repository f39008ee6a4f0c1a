import { Buffer } from 'node:buffer';
import type { Document } from '../document.js';
import { SieveError, type ErrorLocation } from '../errors.js';
import type { ReadOptions } from './read-options.js';
import { rpv2Shard } from './rpv2.js';
import { utf8Text } from './utf8-text.js';

const DEFAULT_TEXT_FIELDS = ['text', 'raw_content'] as const;

/** Turns parsed records into Documents, resolving text, id and url fields once per shard. */
export interface DocumentMaker {
  /** Builds the document, or throws a SieveError (E_INPUT_FIELD) naming the missing field. */
  make(record: Record<string, unknown>, location: ErrorLocation, index: number, raw?: Uint8Array): Document;
}

/**
 * Field resolution rules: the text field is `--text-field`, else `text`, else `raw_content`;
 * the id is `--id-field`, else `id`, else the RPv2 document id for files in the RPv2 layout
 * (`{snapshot}/{nnnn}/{lang}_{part}.json.gz/{line_index}`), else `<name>:<line>`.
 */
export function createDocumentMaker(file: string, name: string, options: ReadOptions): DocumentMaker {
  const rpv2ShardId = rpv2Shard(file)?.shardId;
  const textFields = options.textField ? [options.textField] : DEFAULT_TEXT_FIELDS;
  const idField = options.idField;

  return {
    make(record, location, index, raw) {
      let textField: string | undefined;
      for (const f of textFields) {
        if (record[f] !== undefined) {
          textField = f;
          break;
        }
      }
      if (textField === undefined) {
        throw new SieveError('E_INPUT_FIELD', `missing text field ${textFields.map((f) => `"${f}"`).join(' or ')}`, {
          location,
          severity: 'shard',
          hint: 'name the field with --text-field',
        });
      }
      const text = record[textField];
      if (typeof text !== 'string') {
        throw new SieveError('E_INPUT_FIELD', `text field "${textField}" is ${text === null ? 'null' : typeof text}, not a string`, {
          location,
          severity: 'shard',
        });
      }
      let id: string;
      if (idField !== undefined) {
        const v = record[idField];
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') {
          throw new SieveError('E_INPUT_FIELD', `missing id field "${idField}"`, { location, severity: 'shard' });
        }
        id = String(v);
      } else if (typeof record.id === 'string' || typeof record.id === 'number' || typeof record.id === 'bigint') {
        id = String(record.id);
      } else if (rpv2ShardId !== undefined) {
        id = `${rpv2ShardId}/${index}`;
      } else {
        id = `${name}:${location.line ?? index}`;
      }
      const meta: Record<string, unknown> = {};
      for (const key of Object.keys(record)) if (key !== textField) meta[key] = record[key];
      const url = typeof record.url === 'string' ? record.url : undefined;
      return raw === undefined ? { id, text, url, meta, location, textField } : new RawDocument(id, text, url, meta, location, textField, raw);
    },
  };
}

/**
 * A document whose record's bytes are kept (`keepRaw`): their text is decoded again only when asked
 * for (a kept document whose text changed), so a batch holds no second copy of every record.
 */
class RawDocument implements Document {
  constructor(
    readonly id: string,
    readonly text: string,
    readonly url: string | undefined,
    readonly meta: Readonly<Record<string, unknown>>,
    readonly location: ErrorLocation,
    readonly textField: string,
    readonly rawBytes: Uint8Array,
  ) {}

  get raw(): string {
    const bytes = this.rawBytes;
    return utf8Text(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
  }
}
