import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

/** The three corpora with reference values computed by the original RPv2 code (3,469 documents). */
const CORPORA = [
  { name: 'web_docs', input: ['corpus', 'web', 'web_docs.jsonl.gz'] },
  { name: 'dclm_human_quality', input: ['corpus', 'quality', 'dclm_human_quality.jsonl.gz'] },
  { name: 'spamassassin_spam_bodies', input: ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'] },
] as const;

type Spans = [number, number, number | null][];
interface Rpv2Line {
  id: string;
  quality_signals: Record<string, Spans>;
}

function firstDifference(ours: Spans, theirs: Spans): string | undefined {
  if (ours.length !== theirs.length) return `${ours.length} spans vs ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    const [a, b] = [ours[i], theirs[i]];
    if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) return `span ${i}: ours ${JSON.stringify(a)} vs reference ${JSON.stringify(b)}`;
  }
  return undefined;
}

describe('RPv2 parity: sieve signals --format rpv2 --lang en reproduces the reference (issue 3)', () => {
  const dir = tempDir();
  const reference = new Map<string, { id: string; quality_signals: Record<string, Spans> }[]>();
  let keys: string[] = [];

  before(async () => {
    for (const c of CORPORA) {
      const rows = (await readJsonlGz(shared('reference', `${c.name}.signals.jsonl.gz`))) as unknown as Rpv2Line[];
      reference.set(c.name, rows);
    }
    keys = Object.keys(reference.get('web_docs')![0].quality_signals);
    assert.equal(keys.length, 28, 'the reference files hold 28 signals');
    const r = sieve(['signals', ...CORPORA.map((c) => shared(...c.input)), '--out', dir, '--format', 'rpv2', '--lang', 'en']);
    assert.equal(r.status, 0, r.stderr);
  });

  for (const c of CORPORA) {
    it(`${c.name}: every signal of every document, spans and values`, () => {
      const ours = gunzipSync(readFileSync(join(dir, `${c.name}.signals.json.gz`)))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Rpv2Line);
      const theirs = reference.get(c.name)!;
      assert.equal(ours.length, theirs.length);
      let checked = 0;
      for (let i = 0; i < theirs.length; i++) {
        assert.equal(ours[i].id, theirs[i].id);
        for (const key of keys) {
          const diff = firstDifference(ours[i].quality_signals[key], theirs[i].quality_signals[key]);
          assert.equal(diff, undefined, `${c.name} doc ${i} (${theirs[i].id}) ${key}: ${diff}`);
          checked++;
        }
      }
      assert.equal(checked, theirs.length * 28);
    });
  }

  it('the Parquet output holds the same values (read back with DuckDB)', async () => {
    const out = join(dir, 'parquet');
    const r = sieve(['signals', shared(...CORPORA[1].input), '--out', out, '--lang', 'en']);
    assert.equal(r.status, 0, r.stderr);
    const rows = await duckdb(`SELECT * FROM '${join(out, 'dclm_human_quality.signals.parquet')}'`);
    const theirs = reference.get('dclm_human_quality')!;
    assert.equal(rows.length, theirs.length);
    for (let i = 0; i < theirs.length; i++) {
      assert.equal(rows[i].id, theirs[i].id);
      const ends = rows[i].line_ends as number[];
      for (const key of keys) {
        const ref = theirs[i].quality_signals[key];
        const v = rows[i][key];
        if (key.startsWith('rps_lines_')) {
          const values = (v as (number | string)[]).map(Number);
          if (ends.length === 0) continue; // empty document: the spans are the exporter's business
          const spans: Spans = values.map((x, j) => [j === 0 ? 0 : ends[j - 1], ends[j], x]);
          assert.equal(firstDifference(spans, ref), undefined, `doc ${i} ${key}`);
        } else {
          const value = v === null ? null : typeof v === 'string' ? Number(v) : (v as number);
          assert.equal(value, ref[0][2], `doc ${i} ${key}`);
        }
      }
    }
  });
});
