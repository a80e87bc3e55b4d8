// Charts of the report: Vega-Lite specs in reports/<section>/*.vl.json, data injected from SQL (already aggregated), compiled
// with vega-lite and rendered to inline SVG on the server (no JavaScript in the page). Time axes use utc scales on
// local-date strings, so the process's time zone does not matter. Danish number and date formats.
//
// A chart's SVG depends only on what chartKey hashes (its spec file, the shared look and locale below, the installed
// versions of vega, vega-lite and every package they load, this file's own code, Node's version and the time zone,
// and the rows given to it), so the report keeps rendered charts in the database by that key (./chart-cache.ts) and
// renders only on a miss. vega and vega-lite are loaded by the first chart rendered: a report whose charts all come
// from the cache never loads them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Runtime } from 'vega';
import { maskText } from '../mask.ts';

export const REPORTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reports');

/** Danish number and time formats (vega's process-wide locale). */
const NUMBER_LOCALE = { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' kr.'] };
const TIME_LOCALE = {
  dateTime: '%A den %d. %B %Y %X',
  date: '%d.%m.%Y',
  time: '%H:%M:%S',
  periods: ['AM', 'PM'],
  days: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
  shortDays: ['søn', 'man', 'tir', 'ons', 'tor', 'fre', 'lør'],
  months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
  shortMonths: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
};

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

type Libraries = { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };
let libraries: Promise<Libraries> | undefined;
/** vega and vega-lite, loaded by the first chart rendered (about 0.2 s), with the Danish locale set. */
function loadLibraries(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => {
    vega.formatLocale(NUMBER_LOCALE);
    vega.timeFormatLocale(TIME_LOCALE);
    return { vega, vegaLite };
  });
  return libraries;
}

/** The Vega-Lite spec reports/<spec>.vl.json, e.g. 'stages/p90-trend'. */
export function loadSpec(spec: string): Record<string, unknown> {
  return JSON.parse(specText(spec)) as Record<string, unknown>;
}

/** Each spec file read once per process, like its compiled form (parsedSpec): the key and the SVG see the same text. */
const specTexts = new Map<string, string>();
function specText(spec: string): string {
  let text = specTexts.get(spec);
  if (text === undefined) {
    text = fs.readFileSync(path.join(REPORTS_DIR, `${spec}.vl.json`), 'utf8');
    specTexts.set(spec, text);
  }
  return text;
}

/** The name of the data set a chart's rows are given to (each spec's `data` is set to it). */
const DATA = 'rows';

/**
 * Each spec compiled by vega-lite and parsed by vega once per process: a report renders the same dozen specs once per
 * municipality, and compiling and parsing were half of a chart's time. The rows come in by name (`view.data`), so the
 * parsed spec holds no data and serves every chart of its file.
 */
const parsed = new Map<string, Runtime>();
function parsedSpec(libs: Libraries, specPath: string): Runtime {
  let runtime = parsed.get(specPath);
  if (!runtime) {
    const spec = loadSpec(specPath);
    spec.data = { name: DATA };
    spec.config = { ...CONFIG, ...((spec.config as object) ?? {}) };
    runtime = libs.vega.parse(libs.vegaLite.compile(spec as unknown as import('vega-lite').TopLevelSpec).spec);
    parsed.set(specPath, runtime);
  }
  return runtime;
}

/** The rows as the chart is given them (chartValue of every value): what its SVG depends on. */
export type ChartRows = Record<string, unknown>[];

export function chartRows(values: Record<string, unknown>[]): ChartRows {
  // Chart data is aggregated and carries no personal data; masking its text anyway keeps FORMATS.md §5 by construction.
  return values.map((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, chartValue(x)])));
}

/**
 * Renders the spec reports/<specPath>.vl.json with `values` as its data; returns the SVG markup. Its ids and label
 * carry the spec's file name ('p90-trend').
 */
export async function renderChart(specPath: string, values: Record<string, unknown>[]): Promise<string> {
  return renderRows(specPath, chartRows(values));
}

/** renderChart of rows already made by chartRows. */
export async function renderRows(specPath: string, rows: ChartRows): Promise<string> {
  const libs = await loadLibraries();
  const name = path.basename(specPath);
  const view = new libs.vega.View(parsedSpec(libs, specPath), { renderer: 'none', logLevel: libs.vega.Error }).data(DATA, rows);
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
  // Numbers are display values (hours, rates, kroner for bar lengths): 3 decimals are plenty, and the SVG's
  // aria-labels then never show a long digit run such as '21,0666666667', which looks like a CPR number.
  if (typeof x === 'number' && Number.isFinite(x) && !Number.isInteger(x)) return Math.round(x * 1000) / 1000;
  return x;
}

/** What a chart's SVG depends on besides its rows and the constants above (the tests change one part at a time). */
export interface ChartEnvironment {
  /** The text of the spec file reports/<specPath>.vl.json. */
  spec(specPath: string): string;
  /** name@version of vega, vega-lite and every package they load, and of `canvas` (vega measures text with it when it is installed). */
  libraries: string;
  /** This file's own code: how a chart is rendered and its SVG made the same on every build. */
  code: string;
  /** Node's version and the process's time zone (the specs' time scales are utc, but a spec may one day not be). */
  runtime: string;
}

let environment: ChartEnvironment | undefined;
/** The environment of this process, read once (the installed packages' package.json files: a few milliseconds). */
export function chartEnvironment(): ChartEnvironment {
  environment ??= {
    spec: specText,
    libraries: installedLibraries(),
    code: fs.readFileSync(fileURLToPath(import.meta.url), 'utf8'),
    runtime: `node ${process.version}, ${Intl.DateTimeFormat().resolvedOptions().timeZone}`,
  };
  return environment;
}

/** Bumped when what the key covers changes shape. */
const KEY_FORMAT = 1;

/**
 * The SHA-256 of everything a chart's SVG depends on: the spec's path and text, the shared look (CONFIG), the
 * locale, the libraries' versions, this file's code, Node and the time zone, and the rows. null when a row holds a value that has no exact
 * text (an object of a class, a function): such a chart is rendered each time, never cached.
 */
export function chartKey(specPath: string, rows: ChartRows, env: ChartEnvironment = chartEnvironment()): string | null {
  let data: string;
  try {
    data = JSON.stringify(rows, keyValue);
  } catch (e) {
    if (e instanceof NotPlain) return null;
    throw e;
  }
  const context = JSON.stringify([KEY_FORMAT, specPath, env.spec(specPath), CONFIG, NUMBER_LOCALE, TIME_LOCALE, env.libraries, env.code, env.runtime]);
  return crypto.createHash('sha256').update(context).update('\n').update(data).digest('hex');
}

class NotPlain extends Error {}

/** JSON.stringify's replacer for the key: every value the rows may hold, spelled so that no two of them look alike. */
function keyValue(this: unknown, key: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return { $date: Number.isNaN(raw.getTime()) ? 'invalid' : raw.toISOString() };
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  // JSON writes NaN and the infinities as null and -0 as 0: vega would not draw them alike
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { $number: Object.is(v, -0) ? '-0' : String(v) };
  if (typeof v === 'function' || typeof v === 'symbol') throw new NotPlain();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new NotPlain();
  }
  return v;
}

/**
 * name@version of every package vega and vega-lite load, found as Node finds them from here (each package's
 * dependencies from its own folder up), and of `canvas` where vega-canvas would load it; sorted, one string.
 */
function installedLibraries(): string {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    const dir = packageDir(name, from);
    if (!dir || found.has(dir)) return;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string; version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
    };
    found.set(dir, `${pkg.name}@${pkg.version}`);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
    if (pkg.name === 'vega-canvas') visit('canvas', dir);
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  visit('vega', here);
  visit('vega-lite', here);
  return [...new Set(found.values())].sort().join(',');
}

function packageDir(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
