/**
 * The report's charts as inline SVG, drawn here rather than by a chart library in the browser:
 * the page stays one file with no script, and the same data gives the same bytes.
 */
import { formatNumber, scalePosition, type DisplayBins } from './bins.js';
import { html, type Html } from './html.js';

export interface Series {
  readonly name: string;
  readonly color: string;
}

/** A vertical line drawn across a histogram at `value`, labelled (`≥ 50`). */
export interface Marker {
  readonly value: number;
  readonly label: string;
}

const WIDTH = 560;
const FONT = 11;

/** Rounds up to 1, 2 or 5 × a power of ten. */
function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** About `count` round tick values between lo and hi. */
function linearTicks(lo: number, hi: number, count: number, minStep = 0): number[] {
  const step = Math.max(minStep, niceCeil((hi - lo) / count));
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function logTicks(lo: number, hi: number): number[] {
  const ticks = lo <= 0 ? [0] : [];
  for (let t = 1; t <= hi; t *= 10) if (t >= lo) ticks.push(t);
  return ticks;
}

function legend(series: readonly Series[], x: number, y: number): Html {
  let at = x;
  return html`<g class="legend">${series.map((s) => {
    const item = html`<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${s.color}"/><text x="${at + 14}" y="${y}">${s.name}</text>`;
    at += 24 + s.name.length * 6.2;
    return item;
  })}</g>`;
}

/**
 * A histogram of one or more series stacked per bin, with axes, a legend and markers. Markers
 * outside the binned range are not drawn; the caller says so in the caption.
 */
export function histogramSvg(bins: DisplayBins, series: readonly Series[], markers: readonly Marker[], label: string): Html {
  const height = 210;
  const m = { left: 52, right: 16, top: 30, bottom: 38 };
  const plotW = WIDTH - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const n = bins.edges.length - 1;
  const p0 = scalePosition(bins.scale, bins.edges[0]);
  const pn = scalePosition(bins.scale, bins.edges[n]);
  const x = (v: number) => m.left + ((scalePosition(bins.scale, v) - p0) / (pn - p0)) * plotW;
  let tallest = 0;
  for (let b = 0; b < n; b++) tallest = Math.max(tallest, bins.series.reduce((t, s) => t + s[b], 0));
  const yMax = niceCeil(tallest);
  const y = (c: number) => m.top + plotH - (c / yMax) * plotH;
  const bars: Html[] = [];
  for (let b = 0; b < n; b++) {
    const x0 = x(bins.edges[b]);
    const w = Math.max(1, x(bins.edges[b + 1]) - x0 - (x(bins.edges[b + 1]) - x0 > 4 ? 1 : 0));
    let bottom = m.top + plotH;
    const range = `${formatNumber(bins.edges[b])} – ${formatNumber(bins.edges[b + 1])}`;
    bins.series.forEach((s, i) => {
      if (s[b] === 0) return;
      // A bin holding anything stays visible, however tall the others.
      const h = Math.max(1.5, (s[b] / yMax) * plotH);
      bars.push(html`<rect x="${fixed(x0)}" y="${fixed(bottom - h)}" width="${fixed(w)}" height="${fixed(h)}" fill="${series[i].color}"><title>${range}: ${s[b]} ${series[i].name}</title></rect>`);
      bottom -= h;
    });
  }
  const lo = bins.edges[0];
  const hi = bins.edges[n];
  const ticks = bins.scale === 'log' ? logTicks(lo, hi) : linearTicks(lo, hi, 6, bins.integers ? 1 : 0);
  const xTicks = ticks
    .filter((t) => t >= lo && t <= hi)
    .map((t) => html`<line x1="${fixed(x(t))}" x2="${fixed(x(t))}" y1="${m.top + plotH}" y2="${m.top + plotH + 4}" class="axis"/><text x="${fixed(x(t))}" y="${m.top + plotH + 15}" text-anchor="middle">${formatNumber(t)}</text>`);
  const yTicks = [0, yMax / 2, yMax].map((c) => html`<text x="${m.left - 6}" y="${fixed(y(c) + 4)}" text-anchor="end">${formatNumber(c)}</text><line x1="${m.left}" x2="${WIDTH - m.right}" y1="${fixed(y(c))}" y2="${fixed(y(c))}" class="grid"/>`);
  const drawn = markers.filter((mk) => mk.value >= lo && mk.value <= hi);
  const lines = drawn.map((mk, i) => {
    const at = fixed(x(mk.value));
    return html`<line x1="${at}" x2="${at}" y1="${m.top - 4}" y2="${m.top + plotH}" class="marker"/><text x="${at}" y="${m.top - 6 - (i % 2) * 12}" text-anchor="${x(mk.value) > WIDTH - 80 ? 'end' : 'start'}" class="marker-label">${mk.label}</text>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${label}" font-size="${FONT}">${yTicks}${bars}<line x1="${m.left}" x2="${WIDTH - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" class="axis"/>${xTicks}${lines}${legend(series, m.left, height - 4)}${bins.scale === 'log' ? html`<text x="${WIDTH - m.right}" y="${height - 4}" text-anchor="end" class="axis-label">log scale</text>` : ''}</svg>`;
}

/** One row of a bar chart: a label and one value per series. */
export interface BarRow {
  readonly label: string;
  readonly values: readonly number[];
  /** Text after each bar (defaults to the value). */
  readonly notes?: readonly string[];
}

/** Horizontal bars, one group per row and one bar per series, all on one scale. */
export function barsSvg(rows: readonly BarRow[], series: readonly Series[], label: string): Html {
  const labelWidth = 170;
  const noteWidth = 120;
  const barH = 12;
  const rowH = series.length * barH + 8;
  const top = series.length > 1 ? 22 : 6;
  const height = top + rows.length * rowH + 20;
  const plotW = WIDTH - labelWidth - noteWidth;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const body = rows.map((r, i) => {
    const y0 = top + i * rowH;
    const name = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label;
    return html`<g><title>${r.label}</title><text x="${labelWidth - 6}" y="${y0 + rowH / 2 + 3}" text-anchor="end">${name}</text>${r.values.map((v, s) => {
      const w = (v / max) * plotW;
      const yb = y0 + 4 + s * barH;
      return html`<rect x="${labelWidth}" y="${yb}" width="${fixed(Math.max(v > 0 ? 1 : 0, w))}" height="${barH - 2}" fill="${series[s].color}"/><text x="${fixed(labelWidth + w + 4)}" y="${yb + barH - 3}">${r.notes?.[s] ?? formatNumber(v)}</text>`;
    })}</g>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${label}" font-size="${FONT}"><line x1="${labelWidth}" x2="${labelWidth}" y1="${top}" y2="${height - 20}" class="axis"/>${body}${series.length > 1 ? legend(series, labelWidth, 12) : ''}<text x="${WIDTH - 4}" y="${height - 4}" text-anchor="end" class="axis-label">${label}</text></svg>`;
}

/** Coordinates with at most two decimals, so the markup stays short and stable. */
function fixed(v: number): number {
  return Math.round(v * 100) / 100;
}
