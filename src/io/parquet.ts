import { openAsBlob } from 'node:fs';
import type { Table } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/node';
import { SieveError, toSieveError } from '../errors.js';

export type { ParquetWasm };

let engine: Promise<typeof ParquetWasm> | undefined;

/**
 * The Parquet engine (parquet-wasm, arrow-rs compiled to WebAssembly; see spec/deps.md for why),
 * loaded on first use: compiling its WebAssembly costs every CLI start ~50 ms otherwise.
 */
export function parquetEngine(): Promise<typeof ParquetWasm> {
  return (engine ??= import('parquet-wasm/node'));
}

let arrowLibrary: Promise<typeof import('apache-arrow')> | undefined;

/** Apache Arrow, loaded on first use like the engine: its modules cost a CLI start ~150 ms. */
export function arrowModule(): Promise<typeof import('apache-arrow')> {
  return (arrowLibrary ??= import('apache-arrow'));
}

/** Row count and Arrow schema of a Parquet file, without reading its data. */
export interface ParquetInfo {
  readonly rows: number;
  readonly columns: readonly string[];
  readonly rowGroups: number;
}

async function openParquet(path: string): Promise<ParquetWasm.ParquetFile> {
  const parquetWasm = await parquetEngine();
  try {
    return await parquetWasm.ParquetFile.fromFile(await openAsBlob(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SieveError('E_INPUT_MISSING', `input does not exist: ${path}`, { location: { file: path } });
    throw toSieveError(err, 'E_INPUT_FORMAT', 'not a readable Parquet file', { file: path });
  }
}

/** A Parquet file's row count, column names and row groups, read from its footer and schema only. */
export async function parquetInfo(path: string): Promise<ParquetInfo> {
  const file = await openParquet(path);
  try {
    const meta = file.metadata().fileMetadata();
    const { tableFromIPC } = await arrowModule();
    const schema = tableFromIPC(await (await file.read({ limit: 0 })).intoIPCStream()).schema;
    return { rows: meta.numRows(), columns: schema.fields.map((f) => f.name), rowGroups: file.metadata().numRowGroups() };
  } finally {
    file.free();
  }
}

/** Streams a Parquet file as Arrow tables of about `batchSize` rows, reading only `columns`. */
export async function* readParquetBatches(path: string, options: { batchSize?: number; columns?: string[] } = {}): AsyncGenerator<Table> {
  const file = await openParquet(path);
  const { tableFromIPC } = await arrowModule();
  try {
    const stream = await file.stream({ batchSize: options.batchSize ?? 1024, columns: options.columns });
    const reader = (stream as ReadableStream<ParquetWasm.RecordBatch>).getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) yield tableFromIPC(r.value.intoIPCStream());
    } finally {
      reader.releaseLock();
    }
  } catch (err) {
    throw toSieveError(err, 'E_INPUT_FORMAT', 'cannot read Parquet data', { file: path });
  } finally {
    file.free();
  }
}
