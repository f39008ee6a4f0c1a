/**
 * The public results of a dedup: `clusters.parquet` (every member of a cluster with more than one
 * document: `id, id_int, shard_id, cluster_id, cluster_size`, as RPv2's `run_lsh.py` plus the size)
 * and, per input shard, `duplicates/<name>.duplicates.parquet` (the documents the keep rule drops:
 * `id, index, id_int, cluster_id`, where `index` is the document's 0-based position in its input).
 */

import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { writeParquet } from '../io/parquet-writer.js';
import type { Clusters } from './clusters.js';
import { readIds } from './doc-table.js';

/** The file of a dedup's output directory that lists every member of every cluster. */
export const CLUSTERS_FILE = 'clusters.parquet';

export function duplicatesPath(name: string): string {
  return join('duplicates', `${name}.duplicates.parquet`);
}

export interface DedupShard {
  readonly name: string;
  readonly shardId: string;
  readonly documents: number;
}

const CLUSTER_SCHEMA = new arrow.Schema([
  new arrow.Field('id', new arrow.Utf8(), false),
  new arrow.Field('id_int', new arrow.Uint64(), false),
  new arrow.Field('shard_id', new arrow.Utf8(), false),
  new arrow.Field('cluster_id', new arrow.Uint64(), false),
  new arrow.Field('cluster_size', new arrow.Uint32(), false),
]);

const DUPLICATE_SCHEMA = new arrow.Schema([
  new arrow.Field('id', new arrow.Utf8(), false),
  new arrow.Field('index', new arrow.Uint32(), false),
  new arrow.Field('id_int', new arrow.Uint64(), false),
  new arrow.Field('cluster_id', new arrow.Uint64(), false),
]);

function recordBatch(schema: arrow.Schema, columns: readonly arrow.Data[], length: number): arrow.RecordBatch {
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: [...columns] }));
}

const u64 = (values: bigint[]) => arrow.makeData({ type: new arrow.Uint64(), length: values.length, data: BigUint64Array.from(values) });
const u32 = (values: number[]) => arrow.makeData({ type: new arrow.Uint32(), length: values.length, data: Uint32Array.from(values) });
const utf8 = (values: string[]) => arrow.vectorFromArray(values, new arrow.Utf8()).data[0];

/**
 * Writes the outputs under `outDir` and returns, per shard, the 0-based positions of the documents
 * dropped (ascending).
 */
export async function writeDedupOutputs(outDir: string, workDir: string, clusters: Clusters, shards: readonly DedupShard[]): Promise<Uint32Array[]> {
  const dropped: Uint32Array[] = [];
  async function* clusterBatches(): AsyncGenerator<arrow.RecordBatch> {
    let base = 0;
    let any = false;
    for (let s = 0; s < shards.length; s++) {
      const ids = readIds(workDir, s);
      const rows = { id: [] as string[], idInt: [] as bigint[], clusterId: [] as bigint[], size: [] as number[] };
      const dups = { id: [] as string[], index: [] as number[], idInt: [] as bigint[], clusterId: [] as bigint[] };
      for (let o = 0; o < ids.length; o++) {
        const d = base + o;
        const size = clusters.clusterSize(d);
        if (size < 2) continue;
        const idInt = clusters.idIntOf(d);
        const clusterId = clusters.clusterId(d);
        rows.id.push(ids[o]);
        rows.idInt.push(idInt);
        rows.clusterId.push(clusterId);
        rows.size.push(size);
        if (clusters.dropped(d)) {
          dups.id.push(ids[o]);
          dups.index.push(o);
          dups.idInt.push(idInt);
          dups.clusterId.push(clusterId);
        }
      }
      base += ids.length;
      dropped.push(Uint32Array.from(dups.index));
      const dupBatch = recordBatch(DUPLICATE_SCHEMA, [utf8(dups.id), u32(dups.index), u64(dups.idInt), u64(dups.clusterId)], dups.id.length);
      await writeParquet(join(outDir, duplicatesPath(shards[s].name)), single(dupBatch));
      if (rows.id.length > 0 || (!any && s === shards.length - 1)) {
        any = true;
        const shardIds = new Array<string>(rows.id.length).fill(shards[s].shardId);
        yield recordBatch(CLUSTER_SCHEMA, [utf8(rows.id), u64(rows.idInt), utf8(shardIds), u64(rows.clusterId), u32(rows.size)], rows.id.length);
      }
    }
    if (shards.length === 0) yield recordBatch(CLUSTER_SCHEMA, [utf8([]), u64([]), utf8([]), u64([]), u32([])], 0);
  }
  await writeParquet(join(outDir, CLUSTERS_FILE), clusterBatches());
  return dropped;
}

async function* single<T>(item: T): AsyncGenerator<T> {
  yield item;
}
