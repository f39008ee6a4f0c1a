import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { writeParquet } from '../../src/io/parquet-writer.js';
import { runRecipe } from '../../src/recipe/run-recipe.js';
import { ROOT } from '../helpers.js';

/** A document that must show as text wherever the report prints it, and run nothing. */
export const SCRIPT = '<script>alert(1)</script>';

/**
 * Documents with markup in their ids, urls and texts, before the quickstart fixture: one the C4
 * line rule empties (so it is a dropped sample) and one C4 keeps (a kept sample).
 */
export function writeHostileInput(dir: string): string {
  const hostile = [
    { id: `drop-${SCRIPT}`, url: 'https://example.org/"><img src=x onerror=alert(3)>', text: `${SCRIPT}\n<img src=x onerror=alert(2)>\nClick here` },
    { id: 'keep-"<b>bold</b>"', text: `Pages that show ${SCRIPT} as code must escape it first. A report that fails to do so runs the script. Escaping turns the angle brackets into entities.` },
  ];
  const path = join(dir, 'hostile.jsonl');
  writeFileSync(path, [...hostile.map((d) => JSON.stringify(d)), readFileSync(join(ROOT, 'fixtures', 'quickstart.jsonl'), 'utf8').trim()].join('\n') + '\n');
  return path;
}

/**
 * Runs the C4 recipe with `--keep-signals` over {@link writeHostileInput}, then adds what later
 * steps will write: dedup clusters and a DSIR importance column in the signals Parquet.
 */
export async function hostileRun(dir: string): Promise<string> {
  const input = writeHostileInput(dir);
  const out = join(dir, 'run');
  const { manifest } = await runRecipe({ recipe: join(ROOT, 'recipes', 'c4.yaml'), inputs: [input], out, workers: 1, keepSignals: true });
  const clusters = arrow.tableFromArrays({ cluster_id: Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 2]), cluster_size: Int32Array.from([3, 3, 3, 2, 2, 4, 4, 4, 4]) });
  await writeParquet(join(out, 'dedup', 'clusters.parquet'), batches(clusters));
  const kept = manifest.totals.kept;
  const weights = arrow.tableFromArrays({
    id: Array.from({ length: kept }, (_, i) => `doc-${i}`),
    rps_doc_wikipedia_importance: Float64Array.from({ length: kept }, (_, i) => 0.25 * (i + 1)),
  });
  await writeParquet(join(out, 'signals', 'hostile.signals.parquet'), batches(weights));
  return out;
}

async function* batches(table: arrow.Table): AsyncGenerator<arrow.RecordBatch> {
  yield* table.batches;
}
