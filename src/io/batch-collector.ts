import type { Document, DocumentBatch, Rejection } from '../document.js';
import { SieveError } from '../errors.js';
import { DEFAULT_BATCH_CHARS, DEFAULT_BATCH_SIZE, type ReadOptions } from './read-options.js';

/** Gathers documents and rejections into batches; applies `onError` to every bad record. */
export class BatchCollector {
  private documents: Document[] = [];
  private rejected: Rejection[] = [];
  private chars = 0;
  private readonly maxDocs: number;
  private readonly maxChars: number;
  private readonly skip: boolean;

  constructor(
    private readonly shard: string,
    options: ReadOptions,
  ) {
    this.maxDocs = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.maxChars = options.batchChars ?? DEFAULT_BATCH_CHARS;
    this.skip = options.onError === 'skip';
  }

  /** Adds a document; true when the batch is full and should be taken. */
  add(doc: Document): boolean {
    this.documents.push(doc);
    this.chars += doc.text.length;
    return this.documents.length >= this.maxDocs || this.chars >= this.maxChars;
  }

  /**
   * Throws the error in `fail` mode; records it as a rejection in `skip` mode. True when the batch
   * should be taken: rejections count towards its size, so a file of bad lines streams too.
   */
  reject(err: SieveError): boolean {
    if (!this.skip) throw err;
    this.rejected.push({ location: err.location ?? { file: this.shard }, code: err.code, reason: err.message });
    return this.documents.length + this.rejected.length >= this.maxDocs;
  }

  get size(): number {
    return this.documents.length + this.rejected.length;
  }

  take(): DocumentBatch {
    const batch = { shard: this.shard, documents: this.documents, rejected: this.rejected };
    this.documents = [];
    this.rejected = [];
    this.chars = 0;
    return batch;
  }
}
