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
  /** Characters of text per batch before it is cut early, to bound memory on large documents. @default 500,000 */
  readonly batchChars?: number;
  /** @default 'fail' */
  readonly onError?: OnError;
  /** Shard name used in default ids. @default the file name without extensions */
  readonly name?: string;
  /**
   * Longest JSON line (decompressed bytes) read as a record; a longer one is rejected
   * (E_INPUT_TOO_LARGE) without being held in memory. @default 128 MiB
   */
  readonly maxRecordBytes?: number;
  /** Keep each JSON line's text on the document (`Document.raw`), to write records back verbatim. @default false */
  readonly keepRaw?: boolean;
}

export const DEFAULT_BATCH_SIZE = 1000;
/**
 * A batch's text views take about 25 bytes per character and live until the batch is written: at
 * 500 k characters they mostly die young, where at 8 M V8 promoted them to the old generation and
 * peak RSS grew 1.7× over a long run (bench/memory.ts). At 100 k each young-generation collection
 * copies less of the batch still in use: `sieve run recipes/gopher.yaml` on the web documents took
 * 548–580 ms (first quartile of 14–16) against 563–618 at 500 k, in three interleaved runs.
 */
export const DEFAULT_BATCH_CHARS = 100_000;
/**
 * A document takes about 25 bytes of memory per character while its signals are computed (2.3 GB
 * at 100 MB), and V8 caps a string at 2^29 − 24 units: 128 MiB keeps one record well inside both.
 */
export const DEFAULT_MAX_RECORD_BYTES = 128 * 2 ** 20;
