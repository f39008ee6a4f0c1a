import type { Document } from '../document.js';
import { formatRpv2Number, rpv2IdInt, rpv2Shard, RPV2_SIGNAL_ORDER } from '../io/rpv2.js';
import { sourceDomain } from '../resources/ut1.js';
import type { DocValue, SignalDefinition } from '../signal.js';

/** The signals of one document, as computed: what every output format is written from. */
export interface ComputedDocument {
  readonly doc: Document;
  /** The language the signals were computed for. */
  readonly lang: string;
  /** Code points of the text: the end of every document-level span. */
  readonly length: number;
  /** End offset of each raw line (code points); line spans are `[previous end, end)`. */
  readonly lineEnds: Uint32Array;
  readonly docValues: readonly DocValue[];
  readonly lineValues: readonly ArrayLike<number>[];
}

/** The signals of a shard split by level, in the order values are computed and stored. */
export interface SignalLayout {
  readonly doc: readonly SignalDefinition[];
  readonly line: readonly SignalDefinition[];
}

type SpanWriter = (c: ComputedDocument) => string;

/** Builds the `[start, end, value]` span-list writers for each signal, in the given key order. */
function spanWriters(layout: SignalLayout, order: readonly string[]): { key: string; write: SpanWriter }[] {
  const writers: { key: string; write: SpanWriter }[] = [];
  for (const key of order) {
    const d = layout.doc.findIndex((s) => s.name === key);
    if (d !== -1) {
      const integer = layout.doc[d].type === 'i64';
      writers.push({ key, write: (c) => `[[0,${c.length},${scalar(c.docValues[d], integer)}]]` });
      continue;
    }
    const l = layout.line.findIndex((s) => s.name === key);
    if (l === -1) continue;
    const integer = layout.line[l].type === 'i64';
    // The reference gives an empty document one null bullet span (spec §3.5), the only such case.
    const emptyQuirk = key === 'rps_lines_start_with_bulletpoint';
    writers.push({
      key,
      write: (c) => {
        if (c.lineEnds.length === 0) return emptyQuirk ? '[[0,0,null]]' : '[]';
        const values = c.lineValues[l];
        const parts: string[] = new Array(c.lineEnds.length);
        let start = 0;
        for (let i = 0; i < c.lineEnds.length; i++) {
          parts[i] = `[${start},${c.lineEnds[i]},${formatRpv2Number(values[i], integer)}]`;
          start = c.lineEnds[i];
        }
        return `[${parts.join(',')}]`;
      },
    });
  }
  return writers;
}

function scalar(v: DocValue, integer: boolean): string {
  if (v === null || typeof v === 'number') return formatRpv2Number(v, integer);
  if (typeof v === 'string') return JSON.stringify(v);
  // Bands as the reference's JSON gives them: lowercase hex strings.
  if (Array.isArray(v)) return JSON.stringify(v.map((b: Uint8Array) => Buffer.from(b).toString('hex')));
  return JSON.stringify(Buffer.from(v as Uint8Array).toString('base64'));
}

/**
 * Signals first in the reference's key order, then any others (our own) in registry order. MinHash
 * bands are not quality signals in RPv2: they go to the `*.minhash.parquet` file instead.
 */
function keyOrder(layout: SignalLayout): string[] {
  const ours = [...layout.doc.filter((s) => s.type !== 'bands'), ...layout.line].map((s) => s.name);
  const known = new Set<string>(RPV2_SIGNAL_ORDER);
  return [...RPV2_SIGNAL_ORDER.filter((k) => ours.includes(k)), ...ours.filter((k) => !known.has(k))];
}

/**
 * Serialises documents as RPv2 `*.signals.json.gz` lines (spec §5.2): `id`, `id_int`, `metadata`
 * and `quality_signals` with `[start, end, value]` spans, numbers formatted as the reference does.
 */
export function rpv2RecordWriter(layout: SignalLayout, inputPath: string): (c: ComputedDocument) => string {
  const writers = spanWriters(layout, keyOrder(layout));
  const shard = rpv2Shard(inputPath);
  return (c) => {
    const m = c.doc.meta;
    const url = c.doc.url ?? (typeof m.url === 'string' ? m.url : null);
    const metadata = {
      cc_segment: m.cc_segment ?? null,
      cc_net_source: shard?.shardId ?? null,
      url,
      source_domain: sourceDomain(c.doc) ?? null,
      language: m.language ?? c.lang,
      snapshot_id: shard?.snapshot ?? null,
    };
    const signals = writers.map((w) => `${JSON.stringify(w.key)}:${w.write(c)}`).join(',');
    return `{"id":${JSON.stringify(c.doc.id)},"id_int":${rpv2IdInt(c.doc.id)},"metadata":${JSON.stringify(metadata)},"quality_signals":{${signals}}}`;
  };
}

/** Serialises documents as Dolma attribute lines: `{id, attributes: {"<key>": [[start, end, value], …]}}`. */
export function dolmaRecordWriter(layout: SignalLayout): (c: ComputedDocument) => string {
  const writers = spanWriters(layout, [...layout.doc, ...layout.line].map((s) => s.name));
  return (c) => `{"id":${JSON.stringify(c.doc.id)},"attributes":{${writers.map((w) => `${JSON.stringify(w.key)}:${w.write(c)}`).join(',')}}}`;
}
