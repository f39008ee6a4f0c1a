import { getSignal } from '../../signals/index.js';
import type { Document } from '../document.js';
import { SieveError } from '../errors.js';
import type { DocValue, SignalContext, SignalResources } from '../signal.js';
import { TextView } from '../text/index.js';
import type { DocColumn, LineColumn, RuleColumns } from './columns.js';

/** One document as a recipe sees it: its current text (after line steps), view, and signal values so far. */
export class DocumentState {
  text: string;
  view: TextView;
  /** Signal values on the current text, by name; cleared when the text changes. */
  readonly values = new Map<string, DocValue | ArrayLike<number>>();
  changed = false;
  readonly ctx: SignalContext;

  constructor(
    readonly doc: Document,
    lang: string,
    resources: SignalResources,
  ) {
    this.text = doc.text;
    this.view = new TextView(doc.text);
    this.ctx = { doc, lang, resources };
  }

  /** Lines of the text, when precomputed line signals gave them (the view then need not scan it). */
  knownLines: number | undefined;

  /** Replaces the text (a line step dropped lines); signals are recomputed on the new text. */
  rewrite(text: string): void {
    this.text = text;
    this.view = new TextView(text);
    this.values.clear();
    this.knownLines = undefined;
    this.changed = true;
  }

  /** How many lines the current text has. */
  lineCount(): number {
    return this.knownLines ?? this.view.lineEnds.length;
  }

  /** A signal's value on the current text, computed once. */
  value(name: string): DocValue | ArrayLike<number> {
    let v = this.values.get(name);
    if (v === undefined && !this.values.has(name)) {
      const signal = getSignal(name).signal;
      try {
        v = signal.compute(this.view, this.ctx);
      } catch (err) {
        throw new SieveError('E_SIGNAL', `signal ${name} failed on document "${this.doc.id}": ${(err as Error).message}`, { location: this.doc.location, cause: err });
      }
      this.values.set(name, v);
    }
    return v as DocValue | ArrayLike<number>;
  }
}

/** Where each document's lines start in a batch's line columns. */
export function lineOffsets(states: readonly DocumentState[]): Int32Array {
  const offsets = new Int32Array(states.length + 1);
  for (let i = 0; i < states.length; i++) offsets[i + 1] = offsets[i] + states[i].lineCount();
  return offsets;
}

/** The columns a rule reads, computed on demand from the documents' current texts. */
export function documentColumns(states: readonly DocumentState[]): RuleColumns {
  const docCache = new Map<string, DocColumn>();
  const lineCache = new Map<string, LineColumn>();
  let offsets: Int32Array | undefined;
  return {
    length: states.length,
    doc(name) {
      let col = docCache.get(name);
      if (!col) {
        if (getSignal(name).signal.type === 'str') {
          col = { strings: states.map((s) => s.value(name) as string | null) };
        } else {
          const values = new Float64Array(states.length);
          for (let i = 0; i < states.length; i++) {
            const v = states[i].value(name);
            values[i] = typeof v === 'number' ? v : Number.NaN;
          }
          col = { values };
        }
        docCache.set(name, col);
      }
      return col;
    },
    lines(name) {
      let col = lineCache.get(name);
      if (!col) {
        const off = (offsets ??= lineOffsets(states));
        const values = new Float64Array(off[states.length]);
        for (let i = 0; i < states.length; i++) {
          const v = states[i].value(name) as ArrayLike<number>;
          // A precomputed line signal must have a value per line of the text it is applied to.
          if (v.length !== off[i + 1] - off[i]) {
            throw new SieveError('E_INPUT_FIELD', `line signal ${name} has ${v.length} values for document "${states[i].doc.id}", whose text has ${off[i + 1] - off[i]} lines`, { location: states[i].doc.location });
          }
          values.set(v, off[i]);
        }
        col = { offsets: off, values };
        lineCache.set(name, col);
      }
      return col;
    },
  };
}

/**
 * Keeps each document's raw lines (with their `\n`) where `mask` holds (one entry per line, documents
 * in order) and rewrites the texts that lost lines. Returns 1 for each document left with no line.
 */
export function keepLines(states: readonly DocumentState[], mask: Uint8Array): Uint8Array {
  const emptied = new Uint8Array(states.length);
  let at = 0;
  states.forEach((s, i) => {
    const lines = s.view.lines;
    // The mask was laid out by precomputed line counts where there were some: they must be the text's.
    if (s.lineCount() !== lines.length) {
      throw new SieveError('E_INPUT_FIELD', `precomputed line signals have ${s.lineCount()} values for document "${s.doc.id}", whose text has ${lines.length} lines`, { location: s.doc.location });
    }
    let kept = 0;
    for (let j = 0; j < lines.length; j++) kept += mask[at + j];
    if (kept === 0) {
      emptied[i] = 1;
    } else if (kept < lines.length) {
      let text = '';
      for (let j = 0; j < lines.length; j++) if (mask[at + j] === 1) text += lines[j].text;
      s.rewrite(text);
    }
    at += lines.length;
  });
  return emptied;
}
