/**
 * Horizontal bar charts as inline SVG, drawn at build time: one row per domain stays readable from 1 to
 * hundreds of domains, and the site needs no charting script.
 */
import { html, type SafeHtml } from './html';

export interface BarSeries {
  /** Shown in the legend. */
  readonly name: string;
  /** One value per row; null draws nothing and says "no data". */
  readonly values: readonly (number | null)[];
}

export interface BarChartProps {
  /** Title and screen-reader label. */
  readonly title: string;
  readonly labels: readonly string[];
  /** One or two series, drawn side by side per row. */
  readonly series: readonly BarSeries[];
  /** Largest value of the scale. @default the largest value */
  readonly max?: number;
  /** How a value is written next to its bar. */
  readonly format?: (value: number) => string;
}

const ROW = 22;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 260;
const VALUE_WIDTH = 70;

export function barChart(props: BarChartProps): SafeHtml {
  const format = props.format ?? ((v: number) => String(v));
  const all = props.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = props.max ?? Math.max(1, ...all);
  const band = ROW * props.series.length + 6;
  const top = 28 + (props.series.length > 1 ? 18 : 0);
  const height = top + band * props.labels.length + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const legend =
    props.series.length > 1
      ? props.series.map(
          (s, i) =>
            html`<rect class="bar${i ? ' alt' : ''}" x="${LABEL_WIDTH + i * 120}" y="26" width="10" height="10"/><text x="${LABEL_WIDTH + i * 120 + 14}" y="35">${s.name}</text>`,
        )
      : '';
  const rows = props.labels.map((label, row) => {
    const y = top + row * band;
    const bars = props.series.map((s, i) => {
      const value = s.values[row];
      const barY = y + i * ROW;
      if (value === null || value === undefined)
        return html`<text x="${LABEL_WIDTH + 4}" y="${barY + 15}" class="muted">no data</text>`;
      const w = Math.max(1, Math.round((value / max) * BAR_WIDTH));
      return html`<rect class="bar${i ? ' alt' : ''}" x="${LABEL_WIDTH}" y="${barY + 3}" width="${w}" height="${ROW - 6}"><title>${`${label}, ${s.name}: ${format(value)}`}</title></rect><text x="${LABEL_WIDTH + w + 6}" y="${barY + 15}">${format(value)}</text>`;
    });
    return html`<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${label}</text>${bars}`;
  });
  return html`<figure><svg class="chart" role="img" aria-label="${props.title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><text x="0" y="16" font-weight="600">${props.title}</text>${legend}<line class="axis" x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH}" y1="${top - 2}" y2="${height - 6}"/>${rows}</svg></figure>`;
}
