import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { Worker } from 'node:worker_threads';
import { FastTextModel, LanguageIdentifier, expf, loadModelData } from '../../src/fasttext/index.js';
import { SieveError } from '../../src/errors.js';
import { pySplitlines, pyStrip } from '../../src/text/index.js';
import { readJsonlGz, ROOT, shared, tempDir } from '../helpers.js';
import { writePaddedModel } from './padded-model.js';

const FIXTURES = join(ROOT, 'fixtures', 'fasttext');
const MODELS = ['quality.bin', 'quality-hs.bin', 'quality-ova.bin', 'quality.ftz', 'lang-length.ftz'];
const LID = () => shared('corpus', 'models', 'lid.176.ftz');

interface Expected {
  id: string;
  labels: string[] | null;
  probs: number[] | null;
}

/** The RedPajama-v2 classifier input the expected outputs were made from (make-expected.py). */
const classifierText = (text: string) => pyStrip(pySplitlines(text).join(' '));

/** Debian's python3-fasttext (the tool the expected outputs come from), or why it cannot run here. */
function debianFastText(): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import fasttext'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'Debian python3-fasttext is not installed (apt-get install python3-fasttext)';
}

describe('fastText inference (issue 8)', () => {
  let web: { id: string; text: string }[];

  before(async () => {
    web = (await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'))) as unknown as { id: string; text: string }[];
  });

  it("lid.176.ftz with CCNet's preprocessing gives fastText's own label, raw probability and 2-decimal score on all 1,094 web documents", async () => {
    const reference = await readJsonlGz(shared('reference', 'web_docs.lid176.jsonl.gz'));
    const lid = new LanguageIdentifier(await FastTextModel.load(LID()));
    assert.equal(reference.length, web.length);
    let scored = 0;
    web.forEach((doc, i) => {
      const ref = reference[i];
      assert.equal(ref.id, doc.id);
      const guess = lid.identify(doc.text);
      assert.deepEqual(guess && { label: guess.label, prob: guess.probability, score: guess.score }, ref.label === null ? null : { label: ref.label, prob: ref.prob, score: ref.score }, doc.id);
      if (guess) scored++;
    });
    assert.equal(scored, 1077);
  });

  for (const name of MODELS) {
    it(`${name}: every label and float32 probability equals fastText's own on every web document`, async () => {
      const model = await FastTextModel.load(join(FIXTURES, name));
      const expected = (await readJsonlGz(join(FIXTURES, 'expected', `${name}.web_docs.jsonl.gz`))) as unknown as Expected[];
      const k = name === 'lang-length.ftz' ? 5 : -1;
      web.forEach((doc, i) => {
        const e = expected[i];
        assert.equal(e.id, doc.id);
        if (e.labels === null) return;
        const got = model.predict(classifierText(doc.text), k);
        assert.deepEqual(got.map((p) => p.label), e.labels, doc.id);
        assert.deepEqual(got.map((p) => p.probability), e.probs, doc.id);
      });
    });
  }

  it("matches fastText on edge cases: whitespace kinds, </s> and label-looking tokens, non-ASCII, long tokens, k and thresholds", async () => {
    const rows = await readJsonlGz(join(FIXTURES, 'expected', 'edge-cases.jsonl.gz'));
    const models = new Map<string, FastTextModel>();
    for (const r of rows) {
      const name = String(r.model);
      let model = models.get(name);
      if (!model) {
        model = await FastTextModel.load(name === 'lid.176.ftz' ? LID() : join(FIXTURES, name));
        models.set(name, model);
      }
      const got = model.predict(String(r.text), Number(r.k), Number(r.threshold));
      const what = `${name} ${JSON.stringify(r.text).slice(0, 30)} k=${r.k} threshold=${r.threshold}`;
      assert.deepEqual(got.map((p) => p.label), r.labels, what);
      assert.deepEqual(got.map((p) => p.probability), r.probs, what);
    }
    assert.equal(rows.length, 540);
  });

  it('the committed expected outputs are what Debian fastText gives now', { skip: debianFastText() }, () => {
    const out = tempDir();
    const r = spawnSync('/usr/bin/python3', [join(FIXTURES, 'make-expected.py')], { env: { ...process.env, OUT: out, SHARED: shared() }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const committed = readdirSync(join(FIXTURES, 'expected')).sort();
    assert.deepEqual(readdirSync(out).sort(), committed);
    for (const f of committed) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(FIXTURES, 'expected', f))), `${f} differs from fastText's output`);
  });

  it('lid.176.ftz: top-1 label and probability equal python fastText on every third lingua text (74,264 sentences, word pairs, words)', { skip: debianFastText() }, async () => {
    const path = shared('corpus', 'langid', 'lingua_langid_testdata.jsonl.gz');
    const script = [
      'import fasttext, gzip, json, sys',
      'm = fasttext.load_model(sys.argv[1])',
      'for i, line in enumerate(gzip.open(sys.argv[2], "rt", encoding="utf-8")):',
      '    if i % 3 == 0:',
      '        l, p = m.predict(json.loads(line)["text"].replace("\\n", ""), k=1)',
      '        print(json.dumps([l[0], float(p[0])] if l else None))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', script, LID(), path], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const expected = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as [string, number] | null);
    const records = (await readJsonlGz(path)).filter((_, i) => i % 3 === 0);
    assert.equal(expected.length, records.length);
    const lid = await FastTextModel.load(LID());
    records.forEach((rec, i) => {
      const [top] = lid.predict(String(rec.text).replaceAll('\n', ''), 1);
      assert.deepEqual(top ? [top.label, top.probability] : null, expected[i], String(rec.id));
    });
  });

  it('lid.176.ftz top-1 accuracy on the lingua sentences of its 67 languages is the 91.8 % SOURCES.md reports', async (t) => {
    const records = await readJsonlGz(shared('corpus', 'langid', 'lingua_langid_testdata.jsonl.gz'));
    const lid = new LanguageIdentifier(await FastTextModel.load(LID()));
    const known = new Set(lid.model.labels.map((l) => l.replace('__label__', '')));
    const accepted: Record<string, readonly string[]> = { bs: ['bs', 'hr', 'sr', 'sh'], ms: ['ms', 'id'] };
    let total = 0;
    let correct = 0;
    for (const r of records) {
      if (r.kind !== 'sentence') continue;
      const lang = r.lang === 'nb' ? 'no' : String(r.lang);
      if (!known.has(lang)) continue;
      total++;
      const label = lid.identify(String(r.text))?.label ?? '';
      if ((accepted[lang] ?? [lang]).includes(label)) correct++;
    }
    t.diagnostic(`lid.176.ftz: ${correct} of ${total} sentences right, ${((100 * correct) / total).toFixed(2)} %`);
    assert.equal(total, 66_141);
    assert.equal(((100 * correct) / total).toFixed(1), '91.8');
  });

  it("expf is glibc's expf bit for bit on 300,000 floats (where Debian python3 can call it)", { skip: debianFastText() }, () => {
    const xs = new Float32Array(300_000);
    let seed = 7;
    for (let i = 0; i < xs.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      xs[i] = i % 2 === 0 ? (seed / 2 ** 32 - 0.5) * 40 : -110 + (seed / 2 ** 32) * 200;
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'x.bin'), xs);
    const script = [
      'import array, ctypes, sys',
      'f = ctypes.CDLL("libm.so.6").expf; f.restype = ctypes.c_float; f.argtypes = [ctypes.c_float]',
      'xs = array.array("f"); xs.frombytes(open(sys.argv[1], "rb").read())',
      'sys.stdout.buffer.write(array.array("f", [f(x) for x in xs]).tobytes())',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', script, join(dir, 'x.bin')], { maxBuffer: 16 << 20 });
    assert.equal(r.status, 0, String(r.stderr));
    const glibc = new Float32Array(new Uint8Array(r.stdout).buffer);
    let differs = 0;
    let mathExpDiffers = 0;
    for (let i = 0; i < xs.length; i++) {
      if (!Object.is(expf(xs[i]), glibc[i])) differs++;
      if (Math.fround(Math.exp(xs[i])) !== glibc[i]) mathExpDiffers++;
    }
    assert.equal(differs, 0);
    assert.ok(mathExpDiffers > 0, 'Math.exp rounded to float differs from glibc somewhere: the reason expf exists');
  });

  it('probability(label) is the probability predict reports for that label', async () => {
    for (const name of MODELS) {
      const model = await FastTextModel.load(join(FIXTURES, name));
      for (const doc of web.slice(0, 40)) {
        const text = classifierText(doc.text).slice(0, 3000);
        for (const p of model.predict(text, 3)) assert.equal(model.probability(text, model.labelIndex(p.label)), p.probability, `${name} ${doc.id} ${p.label}`);
      }
    }
  });

  it('predicts the first line only, as fastText reads one line; k must be positive or -1', async () => {
    const model = await FastTextModel.load(join(FIXTURES, 'quality.bin'));
    assert.deepEqual(model.predict('first line here\nsecond line', -1), model.predict('first line here', -1));
    assert.notDeepEqual(model.predict('first line here', -1), model.predict('second line', -1));
    assert.equal(model.labelIndex('hq'), model.labelIndex('__label__hq'));
    assert.equal(model.labelIndex('nope'), -1);
    assert.throws(() => model.predict('x', 0), (e: unknown) => e instanceof SieveError && e.code === 'E_USAGE');
  });

  it('rejects what is not a supervised fastText model with a SieveError naming the file', async () => {
    const dir = tempDir();
    const bin = readFileSync(join(FIXTURES, 'quality.bin'));
    const cases: [string, Buffer, string][] = [
      ['text.bin', Buffer.from('not a model at all\n'), 'E_INPUT_FORMAT'],
      ['truncated.bin', bin.subarray(0, 5000), 'E_INPUT_TRUNCATED'],
      ['trailing.bin', Buffer.concat([bin, Buffer.from([0])]), 'E_INPUT_FORMAT'],
      ['newer.bin', Buffer.from(bin).fill(13, 4, 5), 'E_INPUT_FORMAT'],
      // The model code (args field 8) set to 1: a cbow word-vector model.
      ['cbow.bin', Buffer.from(bin).fill(1, 8 + 7 * 4, 8 + 7 * 4 + 1), 'E_USAGE'],
    ];
    for (const [name, bytes, code] of cases) {
      writeFileSync(join(dir, name), bytes);
      await assert.rejects(loadModelData(join(dir, name)), (e: unknown) => e instanceof SieveError && e.code === code && e.message.includes(join(dir, name)), name);
    }
    await assert.rejects(loadModelData(join(dir, 'missing.bin')), (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_MISSING');
  });

  it('model memory is shared with worker threads, not copied: a write in the worker shows in the main thread', async () => {
    const data = await loadModelData(join(FIXTURES, 'quality.bin'));
    assert.ok(data.input.kind === 'dense' && data.input.chunks.every((c) => c.buffer instanceof SharedArrayBuffer));
    assert.ok(data.dictionary.bytes.buffer instanceof SharedArrayBuffer);
    const text = classifierText(web[3].text);
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       workerData.data.input.chunks[0][0] = 12345;
       parentPort.postMessage(workerData.data.input.chunks[0].buffer instanceof SharedArrayBuffer);`,
      { eval: true, workerData: { data } },
    );
    const shared = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.equal(shared, true);
    assert.equal(data.input.kind === 'dense' && data.input.chunks[0][0], 12345);
    assert.ok(FastTextModel.fromData(data).predict(text, 1).length === 1);
  });

  it('a model larger than 2 GiB loads (in 1 GiB chunks) and predicts exactly as its small twin', async (t) => {
    const dir = tempDir();
    const free = statfsSync(dir);
    if (free.bavail * free.bsize < 1e9 || freemem() < 5e9) {
      t.skip(`needs 5 GB of free memory and 1 GB of disk (have ${(freemem() / 1e9).toFixed(1)} GB, ${((free.bavail * free.bsize) / 1e9).toFixed(1)} GB)`);
      return;
    }
    const small = await loadModelData(join(FIXTURES, 'quality.bin'));
    const path = join(dir, 'wide.bin');
    // 35,553 rows × 16,384 floats: 2.33 GB, most of it holes of a sparse file.
    const bytes = writePaddedModel(small, path, 16_384);
    try {
      assert.ok(bytes > 2 ** 31, `${bytes} bytes`);
      const wide = await FastTextModel.load(path);
      assert.ok(wide.data.input.kind === 'dense' && wide.data.input.chunks.length === 3 && wide.data.input.chunks.every((c) => c.byteLength <= 2 ** 30));
      const twin = FastTextModel.fromData(small);
      for (const doc of web.slice(0, 12)) {
        const text = classifierText(doc.text).slice(0, 1000);
        assert.deepEqual(wide.predict(text, -1), twin.predict(text, -1), doc.id);
      }
    } finally {
      rmSync(path);
    }
  });
});
