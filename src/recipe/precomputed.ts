import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as arrow from 'apache-arrow';
import { LINE_ENDS } from '../columns/signal-columns.js';
import { SieveError } from '../errors.js';
import { readDocuments } from '../io/read-documents.js';
import { readParquetBatches } from '../io/parquet.js';
import { openParquetColumns } from '../io/parquet-columns.js';
import { stripExtensions } from '../io/formats.js';
import type { DocColumn, LineColumn, RuleColumns } from './columns.js';
import { columnsFromArrow, columnsFromParquet } from './columns.js';

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
 * `wanted` names the signals that will be read (all, when not given): of a Parquet file, only those
 * and the ids are decoded.
 */
export async function loadPrecomputed(path: string, wanted?: readonly string[]): Promise<PrecomputedSignals> {
  return path.endsWith('.parquet') ? loadParquet(path, wanted) : loadRpv2(path);
}

async function loadParquet(path: string, wanted: readonly string[] | undefined): Promise<PrecomputedSignals> {
  // Our reader decodes what Parquet writers produce for signal tables; a file with a wanted column in
  // anything else (delta encodings, say) goes through parquet-wasm and Arrow, for those columns only.
  // Columns no rule reads (MinHash signatures, say) do not matter.
  const file = await openParquetColumns(path);
  const needed = ['id', LINE_ENDS, ...(wanted ?? file.columns)].filter((c, i, all) => file.columns.includes(c) && all.indexOf(c) === i);
  if (needed.every((c) => file.kind(c) !== undefined)) {
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

interface Rpv2Record {
  readonly id: string;
  readonly quality_signals: Readonly<Record<string, readonly (readonly [number, number, number | null])[]>>;
}

async function loadRpv2(path: string): Promise<PrecomputedSignals> {
  const ids: string[] = [];
  const records: Rpv2Record[] = [];
  for await (const batch of readDocuments(path, { textField: 'id', idField: 'id' })) {
    for (const d of batch.documents) {
      const qs = d.meta.quality_signals;
      if (qs === null || typeof qs !== 'object') throw new SieveError('E_INPUT_FIELD', 'RPv2 signals line without quality_signals', { location: d.location });
      ids.push(d.id);
      records.push({ id: d.id, quality_signals: qs as Rpv2Record['quality_signals'] });
    }
  }
  const names = new Set(records.length > 0 ? Object.keys(records[0].quality_signals) : []);
  const docCache = new Map<string, DocColumn>();
  const lineCache = new Map<string, LineColumn>();
  const columns: RuleColumns = {
    length: records.length,
    doc(name) {
      let col = docCache.get(name);
      if (!col) {
        const values = new Float64Array(records.length);
        records.forEach((r, i) => {
          const v = r.quality_signals[name]?.[0]?.[2];
          values[i] = typeof v === 'number' ? v : Number.NaN;
        });
        col = { values };
        docCache.set(name, col);
      }
      return col;
    },
    lines(name) {
      let col = lineCache.get(name);
      if (!col) {
        const offsets = new Int32Array(records.length + 1);
        // The reference writes [[0, 0, null]] for the bullet signal of an empty document: no lines.
        const spans = records.map((r) => (r.quality_signals[name] ?? []).filter((s) => s[1] > s[0] || s[2] !== null));
        spans.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.length));
        const values = new Float64Array(offsets[records.length]);
        spans.forEach((s, i) => s.forEach((span, j) => (values[offsets[i] + j] = span[2] ?? Number.NaN)));
        col = { offsets, values };
        lineCache.set(name, col);
      }
      return col;
    },
  };
  return { path, ids, row: indexOf(ids, path), names, columns };
}

function indexOf(ids: readonly string[], path: string): Map<string, number> {
  const row = new Map<string, number>();
  ids.forEach((id, i) => {
    if (row.has(id)) throw new SieveError('E_INPUT_FIELD', `signals file holds id "${id}" twice: cannot join documents to it`, { location: { file: path, record: i } });
    row.set(id, i);
  });
  return row;
}
