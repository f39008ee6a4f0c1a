import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, shared, sieve, tempDir } from '../helpers.js';

const WEB = () => shared('corpus', 'web', 'web_docs.jsonl.gz');

interface Report {
  documents: number;
  kept: number;
  rules: { name: string; drops: number; dropsOnly: number; keptWithout: number; thresholds: { constant: number; at: { value: number; kept: number }[] }[] }[];
}

function kept(recipe: string, dir: string): number {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = sieve(['run', recipe, WEB(), '--out', out, '--workers', '1']);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { totals: { kept: number } }).totals.kept;
}

describe('sieve explain (issue 4)', () => {
  it('agrees with sieve run: the kept count, each rule removed, and a scaled threshold', () => {
    const dir = tempDir();
    const recipePath = join(ROOT, 'recipes', 'rpv2-gopher.yaml');
    const r = sieve(['explain', recipePath, WEB(), '--json', '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.documents, 1094);
    assert.equal(report.kept, kept(recipePath, dir));
    const yaml = readFileSync(recipePath, 'utf8');
    const stepLines = yaml.split('\n').filter((l) => l.startsWith('  - keep'));
    for (const [i, rule] of report.rules.entries()) {
      assert.ok(rule.dropsOnly <= rule.drops);
      const without = join(dir, `without-${i}.yaml`);
      writeFileSync(without, yaml.replace(stepLines[i] + '\n', ''));
      assert.equal(rule.keptWithout, kept(without, dir), `without ${rule.name}`);
    }
    const wordCount = report.rules[0].thresholds.find((t) => t.constant === 50)!;
    const at100 = wordCount.at.find((a) => a.value === 100)!;
    const scaled = join(dir, 'scaled.yaml');
    writeFileSync(scaled, yaml.replace('rps_doc_word_count >= 50', 'rps_doc_word_count >= 100'));
    assert.equal(at100.kept, kept(scaled, dir));
  });

  it('prints a readable table', () => {
    const r = sieve(['explain', join(ROOT, 'recipes', 'c4.yaml'), join(ROOT, 'fixtures', 'quickstart.jsonl')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^recipe c4: 10 documents, \d+ kept/);
    assert.match(r.stdout, /c4_lines +\d+ +\d+ +\d+ \(/);
  });
});
