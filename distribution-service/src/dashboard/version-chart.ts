import type { BillingChart } from '../services/reports.js';
import { NEVER_SYNCED, type VersionCount } from '../services/version-report.js';
import { renderChart } from './charts.js';
import type { Html } from './html.js';

/** How a version's release state reads on the page (table cell and chart legend alike). */
export function releaseText(release: VersionCount['release']): string {
  return release ?? 'not a release';
}

/** Fixed order, so a release state keeps its colour whatever the fleet runs. */
const SERIES = ['mandatory', 'recommended', 'allowed', 'withdrawn', 'not a release'];

/**
 * Devices per version as a bar chart (oldest version left, "never synced" last), one series per
 * release state so the legend says which bars are published releases. The charts helper stacks
 * series; here each bar has exactly one non-zero segment.
 */
export function versionChart(versions: readonly VersionCount[], title: string, id: string): Html {
  const ordered = [...versions].reverse().sort((a, b) => Number(a.version === NEVER_SYNCED) - Number(b.version === NEVER_SYNCED));
  const chart: BillingChart = {
    kind: 'stacked',
    periods: ordered.map((v) => v.version),
    series: SERIES.map((name) => ({ name, values: ordered.map((v) => (releaseText(v.release) === name ? v.devices : 0)) })),
  };
  return renderChart(chart, title, id);
}
