import type { RecordBatch } from 'apache-arrow';
import { listSignals } from '../../signals/index.js';
import { SignalBatchBuilder } from '../columns/signal-columns.js';
import { AsyncQueue } from '../io/async-queue.js';
import { writeParquet } from '../io/parquet-writer.js';
import { SIGNALS_ROW_GROUP_SIZE } from '../pipeline/shard-task.js';
import type { DocumentState } from './document-columns.js';

/** Where `--keep-signals` puts the kept documents' signals, batch by batch. */
export interface KeptSignalsWriter {
  add(states: readonly DocumentState[]): void;
  close(): Promise<void>;
  abort(err: unknown): Promise<void>;
}

/**
 * `--keep-signals`: the signals of each batch's kept documents go to the Parquet writer while the
 * kept records are written, so no more than a batch of them is held.
 */
export function keptSignalsWriter(path: string, names: readonly string[]): KeptSignalsWriter {
  const builder = signalBuilder(names);
  const queue = new AsyncQueue<RecordBatch>();
  let empty = true;
  const written = writeParquet(path, queue, { rowGroupSize: SIGNALS_ROW_GROUP_SIZE });
  // Awaited by close or abort; until then a failed write must not count as unhandled.
  written.catch(() => undefined);
  return {
    add(states) {
      queue.push(builder.add(states));
      empty = false;
    },
    async close() {
      // A shard without kept documents still gets a file with the schema.
      if (empty) queue.push(builder.add([]));
      queue.close();
      await written;
    },
    async abort(err) {
      queue.fail(err);
      await written.catch(() => undefined);
    },
  };
}

/** Builds, per batch, the recipe's signals on each kept document's final text. */
function signalBuilder(names: readonly string[]): { add(states: readonly DocumentState[]): RecordBatch } {
  const specs = listSignals().filter((r) => names.includes(r.signal.name)).map((r) => r.signal);
  const docSpecs = specs.filter((s) => s.level === 'doc');
  const lineSpecs = specs.filter((s) => s.level === 'line');
  const builder = new SignalBatchBuilder(specs);
  return {
    add(states) {
      for (const s of states) {
        builder.append(
          s.doc.id,
          docSpecs.map((spec) => s.value(spec.name) as number | string | Uint8Array | null),
          s.view.lineEnds,
          lineSpecs.map((spec) => s.value(spec.name) as ArrayLike<number>),
        );
      }
      return builder.flush();
    },
  };
}

