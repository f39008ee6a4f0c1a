import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as arrow from 'apache-arrow';
import { LINE_ENDS } from '../columns/signal-columns.js';
import { SieveError } from '../errors.js';
import { readDocuments } from '../io/read-documents.js';
import { zstdIsNative } from '../io/byte-source.js';
import { readParquetBatches } from '../io/parquet.js';
import { openParquetColumns } from '../io/parquet-columns.js';
import { stripExtensions } from '../io/formats.js';
import type { RuleColumns } from './columns.js';
import { cachedColumns, columnsFromArrow, columnsFromParquet } from './columns.js';

/** Signals computed earlier for one shard, by document id, as columns a rule can read. */
export interface PrecomputedSignals {
  readonly path: string;
  readonly ids: readonly string[];
  readonly row: ReadonlyMap<string, number>;
  /** Names of the signal columns present. */
  readonly names: ReadonlySet<string>;
  readonly columns: RuleColumns;
}

const SUFFIXES = ['.signals.parquet', '.signals.json.gz'] as const;

/**
 * The precomputed signals file of a shard among `sources` (directories or files): in a directory,
 * `<name>.signals.parquet` or `<name>.signals.json.gz` (RPv2); among files, the one whose name
 * without extensions is the shard's file name.
 */
export function findSignalsFile(sources: readonly string[], shardName: string): string | undefined {
  for (const source of sources) {
    if (existsSync(source) && statSync(source).isDirectory()) {
      for (const suffix of SUFFIXES) {
        const p = join(source, `${shardName}${suffix}`);
        if (existsSync(p)) return p;
      }
    } else if (stripExtensions(basename(source)).replace(/\.signals$/, '') === shardName.split('/').pop()) {
      return source;
    }
  }
  return undefined;
}

/**
 * Loads a signals file: our Parquet layout, or RPv2 `*.signals.json.gz` lines (`quality_signals` spans).
 * `wanted` names the signals that will be read (all, when not given): only those are decoded (with
 * the ids, and a Parquet file's line ends).
 */
export async function loadPrecomputed(path: string, wanted?: readonly string[]): Promise<PrecomputedSignals> {
  return path.endsWith('.parquet') ? loadParquet(path, wanted) : loadRpv2(path, wanted);
}

async function loadParquet(path: string, wanted: readonly string[] | undefined): Promise<PrecomputedSignals> {
  // Our reader decodes what Parquet writers produce for signal tables; a file with a wanted column in
  // anything else (delta encodings, say) goes through parquet-wasm and Arrow, for those columns only.
  // Columns no rule reads (MinHash signatures, say) do not matter.
  const file = await openParquetColumns(path);
  const needed = ['id', LINE_ENDS, ...(wanted ?? file.columns)].filter((c, i, all) => file.columns.includes(c) && all.indexOf(c) === i);
  // Without zstd-napi, fzstd would decompress our (zstd) files slower than parquet-wasm's own zstd.
  if (zstdIsNative() && needed.every((c) => file.kind(c) !== undefined)) {
    if (file.kind('id') !== 'string') throw new SieveError('E_INPUT_FIELD', 'signals file has no id column of strings', { location: { file: path } });
    const strings = file.strings('id');
    const missing = strings.indexOf(null);
    if (missing !== -1) throw new SieveError('E_INPUT_FIELD', `signals file has a null id at row ${missing}`, { location: { file: path, record: missing } });
    const ids = strings as string[];
    return { path, ids, row: indexOf(ids, path), names: new Set(file.columns), columns: columnsFromParquet(file) };
  }
  const batches: arrow.RecordBatch[] = [];
  for await (const table of readParquetBatches(path, { batchSize: 65_536, columns: needed })) batches.push(...table.batches);
  const table = new arrow.Table(batches);
  const idColumn = table.getChild('id');
  if (!idColumn) throw new SieveError('E_INPUT_FIELD', 'signals file has no id column', { location: { file: path } });
  const ids = idColumn.toArray() as string[];
  return { path, ids, row: indexOf(ids, path), names: new Set(table.schema.fields.map((f) => f.name)), columns: columnsFromArrow(table) };
}

/** An RPv2 line's `quality_signals`: each signal's spans `[start, end, value]`. */
type Rpv2Signals = Readonly<Record<string, readonly (readonly [number, number, number | null])[] | undefined>>;

/**
 * RPv2 lines hold every signal as spans `[start, end, value]`. Each line's wanted signals go into
 * columns as it is read and the parsed line is let go (kept whole, a shard's lines outlived the young
 * generation and made most of a run's time garbage collection).
 */
async function loadRpv2(path: string, wanted: readonly string[] | undefined): Promise<PrecomputedSignals> {
  const ids: string[] = [];
  let names: Set<string> | undefined;
  let stored: string[] = [];
  // Per stored signal: the first span's value of each document (a document signal), and the spans'
  // values as lines.
  let docValues: number[][] = [];
  let lineValues: number[][] = [];
  let lineOffsets: number[][] = [];
  // Small batches, so that parsed lines die young.
  for await (const batch of readDocuments(path, { textField: 'id', idField: 'id', batchSize: 64 })) {
    for (const d of batch.documents) {
      const qs = d.meta.quality_signals;
      if (qs === null || typeof qs !== 'object') throw new SieveError('E_INPUT_FIELD', 'RPv2 signals line without quality_signals', { location: d.location });
      const signals = qs as Rpv2Signals;
      if (!names) {
        const present = new Set(Object.keys(signals));
        names = present;
        stored = (wanted ?? [...present]).filter((n, i, all) => present.has(n) && all.indexOf(n) === i);
        docValues = stored.map(() => []);
        lineValues = stored.map(() => []);
        lineOffsets = stored.map(() => [0]);
      }
      ids.push(d.id);
      for (let k = 0; k < stored.length; k++) {
        const spans = signals[stored[k]];
        const first = Array.isArray(spans) ? spans[0]?.[2] : undefined;
        docValues[k].push(typeof first === 'number' ? first : Number.NaN);
        const lines = lineValues[k];
        // The reference writes [[0, 0, null]] for the bullet signal of an empty document: no lines.
        if (Array.isArray(spans)) for (const span of spans) if (span[1] > span[0] || span[2] !== null) lines.push(span[2] ?? Number.NaN);
        lineOffsets[k].push(lines.length);
      }
    }
  }
  const index = new Map(stored.map((n, k) => [n, k]));
  const columns = cachedColumns(ids.length, {
    doc(name) {
      const k = index.get(name);
      return { values: k === undefined ? new Float64Array(ids.length).fill(Number.NaN) : Float64Array.from(docValues[k]) };
    },
    lines(name) {
      const k = index.get(name);
      return k === undefined ? { offsets: new Int32Array(ids.length + 1), values: new Float64Array(0) } : { offsets: Int32Array.from(lineOffsets[k]), values: Float64Array.from(lineValues[k]) };
    },
  });
  return { path, ids, row: indexOf(ids, path), names: names ?? new Set(), columns };
}

function indexOf(ids: readonly string[], path: string): Map<string, number> {
  const row = new Map<string, number>();
  ids.forEach((id, i) => {
    if (row.has(id)) throw new SieveError('E_INPUT_FIELD', `signals file holds id "${id}" twice: cannot join documents to it`, { location: { file: path, record: i } });
    row.set(id, i);
  });
  return row;
}
