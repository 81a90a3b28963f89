import type { BillingChart } from '../services/reports.js';
import { html, type Html } from './html.js';

/**
 * Server-rendered SVG charts (stacked or grouped bars): no script, no external assets, so they pass a strict CSP and
 * print well. Colours use presentation attributes (a CSP without 'unsafe-inline' blocks style
 * attributes). Each bar (segment) carries a <title> with its exact value; the table
 * under the chart is the accessible form of the same data.
 */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8c7a00', '#222222', '#999999', '#882255'];

const W = 760;
const H = 300;
const M = { top: 16, right: 16, bottom: 64, left: 56 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** A round axis maximum ≥ v and its tick step (1, 2, 5 × 10^k). */
export function niceScale(v: number): { max: number; step: number } {
  if (v <= 0) return { max: 1, step: 1 };
  const rough = v / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  const integerStep = Math.max(1, Math.round(step));
  return { max: Math.ceil(v / integerStep) * integerStep, step: integerStep };
}

function axes(max: number, step: number, periods: string[], xAt: (i: number) => number): Html {
  const y = (v: number) => M.top + PH - (v / max) * PH;
  const ticks: Html[] = [];
  for (let v = 0; v <= max; v += step) {
    ticks.push(html`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#dddddd"/>
<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#333333">${v}</text>`);
  }
  // Keep at most ~24 period labels readable.
  const every = Math.max(1, Math.ceil(periods.length / 24));
  const labels = periods.map((p, i) =>
    i % every === 0
      ? html`<text transform="translate(${xAt(i)},${M.top + PH + 10}) rotate(40)" font-size="11" fill="#333333">${p}</text>`
      : html``,
  );
  return html`<g class="axes">${ticks}<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + PH}" y2="${M.top + PH}" stroke="#333333"/>${labels}</g>`;
}

function legend(entries: { name: string; colour: string }[]): Html {
  return html`<ul class="legend">${entries.map(
    (e) => html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${e.colour}"/></svg> ${e.name}</li>`,
  )}</ul>`;
}

export function renderChart(chart: BillingChart, title: string, id: string): Html {
  const { periods } = chart;
  const slot = PW / Math.max(periods.length, 1);
  const xAt = (i: number) => M.left + slot * i + slot / 2;
  // Colours follow the series' place in the full list, so a use case keeps its colour across reports.
  const colourOf = new Map(chart.series.map((s, i) => [s.name, PALETTE[i % PALETTE.length]!]));
  const shown = chart.series.filter((s) => s.values.some((v) => v > 0));
  if (shown.length === 0) {
    return html`<figure class="chart" id="${id}"><figcaption>${title}</figcaption><p class="empty">No data in this range.</p></figure>`;
  }
  let body: Html;
  let max: number;
  if (chart.kind === 'stacked') {
    const totals = periods.map((_, i) => shown.reduce((sum, s) => sum + s.values[i]!, 0));
    const scale = niceScale(Math.max(...totals));
    max = scale.max;
    const step = scale.step;
    const barW = Math.max(2, Math.min(48, slot * 0.7));
    const bars: Html[] = [];
    periods.forEach((p, i) => {
      let base = 0;
      shown.forEach((s) => {
        const v = s.values[i]!;
        if (v === 0) return;
        const y0 = M.top + PH - ((base + v) / max) * PH;
        const h = (v / max) * PH;
        bars.push(html`<rect class="bar" x="${xAt(i) - barW / 2}" y="${y0}" width="${barW}" height="${h}" fill="${colourOf.get(s.name)}"><title>${p} ${s.name}: ${v}</title></rect>`);
        base += v;
      });
    });
    body = html`${axes(max, step, periods, xAt)}<g class="bars">${bars}</g>`;
  } else {
    // Side by side per period: equal values of two series stay visible (lines would overlap).
    const { max: m, step } = niceScale(Math.max(...shown.flatMap((s) => s.values)));
    max = m;
    const groupW = Math.max(2, Math.min(shown.length * 28, slot * 0.8));
    const barW = groupW / shown.length;
    const bars: Html[] = [];
    periods.forEach((p, i) => {
      shown.forEach((s, k) => {
        const v = s.values[i]!;
        if (v === 0) return;
        const h = (v / max) * PH;
        bars.push(html`<rect class="bar" x="${xAt(i) - groupW / 2 + k * barW}" y="${M.top + PH - h}" width="${Math.max(1, barW - 1)}" height="${h}" fill="${colourOf.get(s.name)}"><title>${p} ${s.name}: ${v}</title></rect>`);
      });
    });
    body = html`${axes(max, step, periods, xAt)}<g class="bars">${bars}</g>`;
  }
  return html`<figure class="chart" id="${id}">
<figcaption id="${id}-title">${title}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title">${body}</svg>
${legend(shown.map((s) => ({ name: s.name, colour: colourOf.get(s.name)! })))}
</figure>`;
}
