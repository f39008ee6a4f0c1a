import { readDocuments } from './src/io/read-documents.js';
for (const f of process.argv.slice(2)) {
  let n = 0, r = 0, first: unknown;
  const t = performance.now();
  for await (const b of readDocuments(f, { onError: 'skip' })) { n += b.documents.length; r += b.rejected.length; first ??= b.documents[0] && { id: b.documents[0].id, url: b.documents[0].url, len: b.documents[0].text.length }; if (b.rejected.length) console.log(b.rejected.slice(0,3)); }
  console.log(f, n, r, first, (performance.now()-t).toFixed(0)+'ms');
}
