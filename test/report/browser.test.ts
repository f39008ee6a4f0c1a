import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildReport } from '../../src/report/build-report.js';
import { ROOT, tempDir } from '../helpers.js';
import { SCRIPT, hostileRun } from './report-run.js';

const CHROMIUM = process.env.SIEVE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'out', 'test-artifacts', 'report.png');

/** Debian's Chromium: installed with apt-get on CI when missing; elsewhere a missing one fails with how to get it. */
function chromiumPath(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.CI === 'true') {
    const asRoot = process.getuid?.() === 0;
    for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']]) {
      const command = asRoot ? args : ['sudo', '-n', ...args];
      const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      assert.equal(r.status, 0, `${command.join(' ')} failed`);
    }
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  assert.fail(`the report's browser test needs Chromium at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\` (Debian, Ubuntu), or point SIEVE_CHROMIUM at a Chromium binary`);
}

describe('sieve report in a browser (issue 10)', () => {
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  let reportUrl: string;

  before(async () => {
    const dir = tempDir();
    const run = await hostileRun(dir);
    const report = join(dir, 'report.html');
    await buildReport({ run, out: report, workers: 1 });
    reportUrl = pathToFileURL(report).href;
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
    page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // Everything but the page itself is recorded and refused: a report must need nothing else.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === reportUrl) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(reportUrl, { waitUntil: 'load' });
  });

  after(async () => {
    if (page) {
      mkdirSync(join(ROOT, 'out', 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await browser?.close();
  });

  it('opens from disk with no console error and no request beyond the file', () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);
  });

  it('draws every chart: each SVG has a size and shapes that cover an area', async () => {
    const charts = await page.$$eval('figure.chart svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const filled = [...svg.querySelectorAll('rect')].filter((r) => {
          const b = r.getBoundingClientRect();
          return b.width > 0 && b.height > 0;
        }).length;
        return { label: svg.getAttribute('aria-label') ?? '', width: box.width, height: box.height, filled };
      }),
    );
    // Funnel ×2, at least one histogram per C4 step, languages, lengths ×2, dedup, importance.
    assert.ok(charts.length >= 12, `${charts.length} charts`);
    for (const c of charts) {
      assert.ok(c.width > 100 && c.height > 50, `${c.label}: ${c.width}×${c.height}`);
      assert.ok(c.filled > 0, `${c.label}: nothing drawn`);
    }
    const sections = await page.$$eval('section', (s) => s.map((x) => x.id));
    assert.deepEqual(sections, ['funnel', 'overlap', 'signals', 'samples', 'corpus', 'dedup', 'importance']);
  });

  it('shows a document holding <script>alert(1)</script> as text and runs nothing', async () => {
    const shown = await page.$$eval('pre', (pres) => pres.map((p) => p.textContent ?? ''));
    assert.equal(shown.filter((t) => t.includes('<script>alert(1)</script>')).length, 2, 'once dropped by c4_lines, once kept');
    const headers = await page.$$eval('.sample header', (h) => h.map((x) => x.textContent ?? ''));
    assert.ok(headers.some((h) => h.includes(`drop-${SCRIPT}`) && h.includes('"><img src=x onerror=alert(3)>')), 'ids and urls are text too');
    assert.ok(headers.some((h) => h.includes('keep-"<b>bold</b>"')));
    assert.equal(await page.$$eval('script', (found) => found.length), 0);
    assert.equal(await page.$$eval('img, b, iframe, object, embed', (found) => found.length), 0);
    assert.deepEqual(dialogs, []);
  });
});
