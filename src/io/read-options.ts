/** What to do with a record that cannot be read: stop the run, or count it and go on. */
export type OnError = 'fail' | 'skip';

/** Options every reader takes. */
export interface ReadOptions {
  /** Field holding the text. @default `text`, then `raw_content` */
  readonly textField?: string;
  /** Field holding the id. @default `id`, else the RPv2 id for RPv2 layout paths, else `<name>:<line>` */
  readonly idField?: string;
  /** Documents per batch. @default 1000 */
  readonly batchSize?: number;
  /** Characters of text per batch before it is cut early, to bound memory on large documents. @default 8,000,000 */
  readonly batchChars?: number;
  /** @default 'fail' */
  readonly onError?: OnError;
  /** Shard name used in default ids. @default the file name without extensions */
  readonly name?: string;
  /** Keep each JSON line's text on the document (`Document.raw`), to write records back verbatim. @default false */
  readonly keepRaw?: boolean;
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_BATCH_CHARS = 8_000_000;
