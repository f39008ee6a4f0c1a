import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { listSignals } from '../../signals/index.js';
import { ROOT, shared } from '../helpers.js';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const LIBRARY = [...sources('src'), ...sources('signals')];
const ALL = [...LIBRARY, ...sources('test'), ...sources('bench')];

function offending(files: readonly string[], pattern: RegExp, except: (file: string) => boolean = () => false): string[] {
  const hits: string[] = [];
  for (const f of files) {
    if (except(f)) continue;
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (pattern.test(line)) hits.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('source rules (STYLE.md)', () => {
  it('relative imports end in .js', () => {
    assert.deepEqual(offending(ALL, /from '\.{1,2}\/[^']*(?<!\.js)'/), []);
  });

  it('errors are SieveErrors: no throw new Error or thrown strings in the library', () => {
    assert.deepEqual(offending(LIBRARY, /throw new Error\(|throw ['"`]/, (f) => f.endsWith('errors.ts')), []);
  });

  it('no empty catch blocks', () => {
    assert.deepEqual(offending(ALL, /catch\s*(\([^)]*\))?\s*\{\s*\}/), []);
  });

  it('no `any` in the library', () => {
    assert.deepEqual(offending(LIBRARY, /^(?!\s*(\/\/|\/\*|\*)).*(:\s*any\b|<any>|\bas any\b)/), []);
  });

  it('signals do no I/O, use no clock and no randomness', () => {
    assert.deepEqual(offending(sources('signals'), /from 'node:(fs|net|http|child_process)|\bDate\b|Math\.random/), []);
  });

  it('every registered signal is an RPv2 key named in the spec', () => {
    const spec = readFileSync(shared('spec', 'rpv2-signals.md'), 'utf8');
    // §3.9 lists every key verbatim (elsewhere the spec abbreviates, e.g. `top_{2,3,4}gram`).
    // ccnet_language is CCNet's `language` field, which RPv2 keeps in the document (spec §5.1), not among its quality_signals.
    const documentFields = new Set(['ccnet_language']);
    const missing = listSignals().map((r) => r.signal.name).filter((name) => !documentFields.has(name) && !new RegExp(`\\b${name}\\b`).test(spec));
    assert.deepEqual(missing, []);
  });
});
