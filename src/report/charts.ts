// Charts of the report: Vega-Lite specs in reports/<section>/*.vl.json, data injected from SQL (already aggregated), compiled
// with vega-lite and rendered to inline SVG on the server (no JavaScript in the page). Time axes use utc scales on
// local-date strings, so the process's time zone does not matter. Danish number and date formats.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { maskText } from '../mask.ts';

export const REPORTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reports');

let localeSet = false;
function setDanishLocale(): void {
  if (localeSet) return;
  vega.formatLocale({ decimal: ',', thousands: '.', grouping: [3], currency: ['', ' kr.'] });
  vega.timeFormatLocale({
    dateTime: '%A den %d. %B %Y %X',
    date: '%d.%m.%Y',
    time: '%H:%M:%S',
    periods: ['AM', 'PM'],
    days: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
    shortDays: ['søn', 'man', 'tir', 'ons', 'tor', 'fre', 'lør'],
    months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
    shortMonths: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  });
  localeSet = true;
}

/** Shared look: DejaVu (the only font installed), quiet axes. */
const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e8eb', domainColor: '#9aa1a9', tickColor: '#9aa1a9' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'top' },
  header: { labelFontSize: 12, labelFontWeight: 'bold', labelAnchor: 'start', titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' },
};

/** The Vega-Lite spec reports/<spec>.vl.json, e.g. 'stages/p90-trend'. */
export function loadSpec(spec: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(REPORTS_DIR, `${spec}.vl.json`), 'utf8')) as Record<string, unknown>;
}

/** The name of the data set a chart's rows are given to (each spec's `data` is set to it). */
const DATA = 'rows';

/**
 * Each spec compiled by vega-lite and parsed by vega once per process: a report renders the same dozen specs once per
 * municipality, and compiling and parsing were half of a chart's time. The rows come in by name (`view.data`), so the
 * parsed spec holds no data and serves every chart of its file.
 */
const parsed = new Map<string, vega.Runtime>();
function parsedSpec(specPath: string): vega.Runtime {
  let runtime = parsed.get(specPath);
  if (!runtime) {
    const spec = loadSpec(specPath);
    spec.data = { name: DATA };
    spec.config = { ...CONFIG, ...((spec.config as object) ?? {}) };
    runtime = vega.parse(vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec);
    parsed.set(specPath, runtime);
  }
  return runtime;
}

/**
 * Renders the spec reports/<specPath>.vl.json with `values` as its data; returns the SVG markup. Its ids and label
 * carry the spec's file name ('p90-trend').
 */
export async function renderChart(specPath: string, values: Record<string, unknown>[]): Promise<string> {
  setDanishLocale();
  const name = path.basename(specPath);
  // Chart data is aggregated and carries no personal data; masking its text anyway keeps FORMATS.md §5 by construction.
  // Numbers are display values (hours, rates, kroner for bar lengths): 3 decimals are plenty, and the SVG's
  // aria-labels then never show a long digit run such as '21,0666666667', which looks like a CPR number.
  const rows = values.map((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, chartValue(x)])));
  const view = new vega.View(parsedSpec(specPath), { renderer: 'none', logLevel: vega.Error }).data(DATA, rows);
  try {
    const svg = await view.toSVG();
    // vega numbers clip paths and gradients with process-wide counters: renumber them per chart, so the report is the same on every
    // build and the ids stay unique among the charts of one page.
    const ids = new Map<string, string>();
    return svg
      .replace(/\b(clip|gradient_)(\d+)\b/g, (m: string, kind: string) => {
        if (!ids.has(m)) ids.set(m, `${name}-${kind.replace('_', '')}${ids.size + 1}`);
        return ids.get(m)!;
      })
      // Coordinates to 3 decimals: smaller files, and no long digit runs that look like a CPR number
      // ('0.0666666667' would). Thousands-grouped labels ('1.510') have 3 digits after the point and stay as they are.
      .replace(/(\d)\.(\d{4,})/g, (_m, int: string, frac: string) => `${int}.${frac.slice(0, 3)}`)
      .replace('<svg ', `<svg role="img" aria-label="${name}" `);
  } finally {
    view.finalize();
  }
}

function chartValue(x: unknown): unknown {
  if (typeof x === 'string') return maskText(x);
  if (typeof x === 'number' && Number.isFinite(x) && !Number.isInteger(x)) return Math.round(x * 1000) / 1000;
  return x;
}
