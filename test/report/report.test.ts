import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildReport } from '../../src/report/build-report.js';
import { ROOT, shared, sieve, tempDir } from '../helpers.js';
import { hostileRun } from './report-run.js';

interface ExplainJson {
  documents: number;
  kept: number;
  rules: { name: string; drops: number; dropsOnly: number; keptWithout: number }[];
}

/** The cells of the table rows whose first cell is `first`, as text. */
function rowCells(page: string, first: string): string[] {
  const row = new RegExp(`<tr><td>${first}</td>(.*?)</tr>`).exec(page);
  assert.ok(row, `no row ${first}`);
  return [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

describe('sieve report (issue 10)', () => {
  const dir = tempDir();
  const web = () => shared('corpus', 'web', 'web_docs.jsonl.gz');
  const recipe = join(ROOT, 'recipes', 'rpv2-gopher.yaml');
  let page: string;
  let explain: ExplainJson;

  before(() => {
    const r = sieve(['run', recipe, web(), '--out', join(dir, 'run'), '--keep-signals', '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const rep = sieve(['report', join(dir, 'run'), '--out', join(dir, 'report.html'), '--workers', '2']);
    assert.equal(rep.status, 0, rep.stderr);
    assert.deepEqual(JSON.parse(rep.stderr).sections, ['funnel', 'overlap', 'signals', 'samples', 'corpus']);
    page = readFileSync(join(dir, 'report.html'), 'utf8');
    const ex = sieve(['explain', recipe, web(), '--json']);
    assert.equal(ex.status, 0, ex.stderr);
    explain = JSON.parse(ex.stdout) as ExplainJson;
  });

  it('shows the funnel of the manifest: documents dropped and characters removed per step', () => {
    const m = JSON.parse(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8'));
    let before = m.totals.characters as number;
    for (const step of m.recipe.steps as { name: string }[]) {
      const cells = rowCells(page, step.name);
      const removed = before - m.totals.charactersLeft[step.name];
      before = m.totals.charactersLeft[step.name];
      assert.deepEqual(cells.slice(1, 3), [m.totals.dropped[step.name].toLocaleString('en-US'), removed.toLocaleString('en-US')], step.name);
    }
  });

  it('prints the overlap table sieve explain computes', () => {
    const overlap = page.slice(page.indexOf('<section id="overlap">'), page.indexOf('<section id="signals">'));
    const n = (v: number) => v.toLocaleString('en-US');
    assert.match(overlap, new RegExp(`the recipe keeps ${n(explain.kept)} `));
    for (const r of explain.rules) {
      const cells = rowCells(overlap, r.name);
      assert.deepEqual([cells[1], cells[3], cells[4].split(' ')[0]], [n(r.drops), n(r.dropsOnly), n(r.keptWithout)], r.name);
    }
  });

  it('draws the recipe\'s thresholds on the histograms of the signals they cut', () => {
    const signals = page.slice(page.indexOf('<section id="signals">'), page.indexOf('<section id="samples">'));
    const figure = (signal: string) => signals.split('<figure').find((f) => f.includes(`aria-label="${signal} (`)) ?? '';
    assert.match(figure('rps_doc_word_count'), /class="marker-label">≥ 50</);
    assert.match(figure('rps_doc_word_count'), /beyond the chart: ≤ 100k/);
    assert.match(figure('rps_doc_mean_word_length'), /≥ 3<.*≤ 10</s);
    assert.match(figure('rps_doc_frac_chars_top_2gram'), /≤ 0\.2</);
    assert.doesNotMatch(figure('rps_lines_start_with_bulletpoint'), /marker-label/, 'sum(…) / ccnet_nlines cuts something else than the line values');
  });

  it('writes the same bytes for the same run, whatever --workers', () => {
    const again = join(dir, 'again.html');
    assert.equal(sieve(['report', join(dir, 'run'), '--out', again, '--workers', '1']).status, 0);
    assert.ok(readFileSync(again).equals(readFileSync(join(dir, 'report.html'))));
    const w1 = join(dir, 'run-w1');
    assert.equal(sieve(['run', recipe, web(), '--out', w1, '--keep-signals', '--workers', '1']).status, 0);
    const other = join(dir, 'w1.html');
    assert.equal(sieve(['report', w1, '--out', other, '--no-explain']).status, 0);
    assert.equal(sieve(['report', join(dir, 'run'), '--out', join(dir, 'w2.html'), '--no-explain']).status, 0);
    assert.ok(readFileSync(other).equals(readFileSync(join(dir, 'w2.html'))));
  });

  it('says why the overlap table is missing: --no-explain, a moved input, a changed recipe', async () => {
    const input = join(dir, 'moved.jsonl');
    const yaml = join(dir, 'recipe.yaml');
    copyFileSync(join(ROOT, 'fixtures', 'quickstart.jsonl'), input);
    copyFileSync(join(ROOT, 'recipes', 'c4.yaml'), yaml);
    const run = join(dir, 'moved');
    assert.equal(sieve(['run', yaml, input, '--out', run]).status, 0);
    const skipped = await buildReport({ run, out: join(dir, 'skipped.html'), explain: false });
    assert.equal(skipped.overlapNote, 'Not computed (--no-explain).');
    appendFileSync(yaml, '# edited\n');
    assert.match((await buildReport({ run, out: join(dir, 'changed.html') })).overlapNote ?? '', /recipe\.yaml changed since the run/);
    rmSync(input);
    copyFileSync(join(ROOT, 'recipes', 'c4.yaml'), yaml);
    const moved = await buildReport({ run, out: join(dir, 'gone.html') });
    assert.match(moved.overlapNote ?? '', /the input .*moved\.jsonl is not there any more/);
    assert.match(readFileSync(join(dir, 'gone.html'), 'utf8'), /<p class="note">Not computed: the input .*moved\.jsonl is not there any more/);
  });

  it('charts dedup clusters and importance weights only when the run has them', async () => {
    const run = await hostileRun(tempDir());
    const report = await buildReport({ run, out: join(dir, 'full.html'), explain: false });
    assert.deepEqual(report.sections, ['funnel', 'overlap', 'signals', 'samples', 'corpus', 'dedup', 'importance']);
    const full = readFileSync(join(dir, 'full.html'), 'utf8');
    assert.match(full, /clusters in dedup\/clusters\.parquet: 3\./, 'three distinct cluster ids');
    const kept = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')).totals.kept as number;
    assert.match(full, new RegExp(`rps_doc_wikipedia_importance of the kept documents \\(signals/\\*\\.signals\\.parquet\\): ${kept}\\.`));
    assert.doesNotMatch(page, /id="dedup"|id="importance"/);
  });

  it('escapes every text from the corpus: no markup of its own reaches the page', async () => {
    const run = await hostileRun(tempDir());
    await buildReport({ run, out: join(dir, 'hostile.html'), explain: false });
    const hostile = readFileSync(join(dir, 'hostile.html'), 'utf8');
    assert.doesNotMatch(hostile, /<script|<img|<b>|<iframe/i);
    assert.match(hostile, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(hostile, /keep-&quot;&lt;b&gt;bold&lt;\/b&gt;&quot;/);
  });

  it('reads runs from before the report: notes instead of charts, no crash', () => {
    const run = join(dir, 'old');
    assert.equal(sieve(['run', recipe, join(ROOT, 'fixtures', 'quickstart.jsonl'), '--out', run, '--samples', '0']).status, 0);
    const path = join(run, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    delete m.totals.charactersLeft;
    for (const i of m.inputs) i.outputs = i.outputs.filter((o: string) => o.startsWith('kept/'));
    writeFileSync(path, JSON.stringify(m));
    const r = sieve(['report', run, '--no-explain']);
    assert.equal(r.status, 0, r.stderr);
    const old = readFileSync(join(run, 'report.html'), 'utf8');
    assert.match(old, /no characters per step/);
    assert.match(old, /recorded no value distributions/);
    assert.match(old, /kept no sample documents: run <code>sieve run<\/code> with <code>--samples N<\/code>/);
  });

  it('a directory without a run manifest is an input error with a hint, not a stack trace', () => {
    const missing = sieve(['report', join(dir, 'nowhere')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^sieve: E_INPUT_MISSING: no manifest\.json in .*nowhere at .*manifest\.json\n  hint: give the --out directory of a `sieve run RECIPE INPUTS --out DIR`\n$/);
    const signals = join(dir, 'signals-out');
    assert.equal(sieve(['signals', join(ROOT, 'fixtures', 'quickstart.jsonl'), '--out', signals]).status, 0);
    const foreign = sieve(['report', signals]);
    assert.equal(foreign.status, 2);
    assert.match(foreign.stderr, /^sieve: E_INPUT_FORMAT: .* is not the manifest of a recipe run/);
    assert.doesNotMatch(foreign.stderr, /\n\s+at /);
  });
});
