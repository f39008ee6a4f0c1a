import { open } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { writeAtomically } from './atomic-file.js';
import { arrowModule, parquetEngine, type ParquetWasm } from './parquet.js';

/** Options of {@link writeParquet}. */
export interface ParquetWriteOptions {
  /** Key-value metadata stored in the Parquet footer (versions of the signal families, …). */
  readonly metadata?: ReadonlyMap<string, string>;
  /** @default 'zstd' */
  readonly compression?: 'zstd' | 'snappy' | 'none';
  /** Rows per row group. @default 65,536 */
  readonly rowGroupSize?: number;
}

/**
 * Streams Arrow record batches into a Parquet file, written under a temporary name and renamed
 * when complete. Batches are converted one at a time, so memory is bounded by the batch size.
 * Returns the number of rows written.
 */
export async function writeParquet(path: string, batches: AsyncIterable<arrow.RecordBatch>, options: ParquetWriteOptions = {}): Promise<number> {
  const parquetWasm = await parquetEngine();
  const { Table, tableToIPC } = await arrowModule();
  return writeAtomically(path, async (tmp) => {
    let rows = 0;
    // An error thrown by the batch source comes back through WebAssembly; keep the original.
    let sourceError: unknown;
    const iterator = batches[Symbol.asyncIterator]();
    const input = new ReadableStream<ParquetWasm.RecordBatch>({
      async pull(controller) {
        let next: IteratorResult<arrow.RecordBatch>;
        try {
          next = await iterator.next();
        } catch (err) {
          sourceError = err;
          throw err;
        }
        if (next.done) {
          controller.close();
          return;
        }
        rows += next.value.numRows;
        const ipc = tableToIPC(new Table(next.value), 'stream');
        const table = parquetWasm.Table.fromIPCStream(ipc);
        const converted = table.recordBatches();
        // Its WebAssembly memory is otherwise freed only when V8 collects the small JS wrapper, which it
        // has no reason to do soon: the memory grew with every batch.
        table.free();
        for (const batch of converted) controller.enqueue(batch);
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    const props = new parquetWasm.WriterPropertiesBuilder()
      .setCompression(compression(parquetWasm, options.compression ?? 'zstd'))
      .setMaxRowGroupSize(options.rowGroupSize ?? 65_536)
      .setCreatedBy('pajama-sieve')
      .setKeyValueMetadata(new Map(options.metadata ?? []))
      .build();
    const handle = await open(tmp, 'w');
    try {
      const output = (await parquetWasm.transformParquetStream(input, props)) as ReadableStream<Uint8Array>;
      const reader = output.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) await handle.write(r.value);
      // parquet-wasm ends its output stream normally when the input stream errors: check ourselves.
      if (sourceError !== undefined) throw sourceError;
    } catch (err) {
      throw sourceError ?? err;
    } finally {
      await handle.close();
    }
    return rows;
  });
}

function compression(engine: typeof ParquetWasm, name: 'zstd' | 'snappy' | 'none'): ParquetWasm.Compression {
  return name === 'zstd' ? engine.Compression.ZSTD : name === 'snappy' ? engine.Compression.SNAPPY : engine.Compression.UNCOMPRESSED;
}
