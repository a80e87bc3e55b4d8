// Building HTML safely: every interpolated value is escaped unless it is already SafeHtml, and every text from the
// data goes through maskText (FORMATS.md §5) before it is shown.
import { DateTime } from 'luxon';
import { ZONE } from '../calendar.ts';
import { maskText } from '../mask.ts';

export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Markup written by us, trusted as is. Never pass data to it. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(maskText(String(v)) ?? '');
}

/** Tagged template: `html\`<td>${value}</td>\`` escapes (and masks) value; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

export function join(parts: SafeHtml[], sep = ''): SafeHtml {
  return new SafeHtml(parts.map((p) => p.html).join(sep));
}

/** An exact DECIMAL string ('-1234.50') in Danish notation ('−1.234,50 kr.'), without floating point. */
export function formatKroner(amount: string | null | undefined, unit = ' kr.'): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(amount).trim());
  if (!m) return String(amount);
  const [, sign, int, frac = ''] = m;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const dec = (frac + '00').slice(0, Math.max(2, frac.length));
  return `${sign ? '−' : ''}${grouped},${dec}${unit}`;
}

/** Hours from latency ('12.50') in Danish notation ('12,50'). */
export function formatHours(h: string | null | undefined): string {
  if (h === null || h === undefined || h === '') return '–';
  return formatKroner(h, '');
}

export function formatCount(n: number | string | null | undefined): string {
  if (n === null || n === undefined) return '0';
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** An instant (ISO UTC string or Date) as Copenhagen wall time, '26.11.2026 10:15'. */
export function formatInstant(ts: string | Date | null | undefined): string {
  if (ts === null || ts === undefined || ts === '') return '';
  const dt = ts instanceof Date ? DateTime.fromJSDate(ts) : DateTime.fromISO(String(ts).replace(' ', 'T'), { zone: 'utc' });
  if (!dt.isValid) return String(ts);
  return dt.setZone(ZONE).toFormat('dd.MM.yyyy HH:mm');
}

export function formatLongInstant(ts: Date): string {
  return DateTime.fromJSDate(ts).setZone(ZONE).setLocale('da').toFormat("cccc d. MMMM yyyy 'kl.' HH:mm");
}

/**
 * The one number format of the report in a text from the rules' SQL: amounts written '1675,00 kr.' (da_money) read
 * '1.675,00 kr.' as in the tables.
 */
export function danishAmounts(text: string): string {
  return text.replace(/(?<![\d.,])(\d{4,}),(\d{2})(?= kr\.)/g, (_m, int: string, dec: string) => `${int.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${dec}`);
}

/** Truncates long free text for a table cell (the full text is in the CSV). */
export function clip(s: string | null | undefined, max = 400): string {
  if (s === null || s === undefined) return '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface Column<T> {
  title: string;
  cell: (row: T) => Part;
  /** 'num' right-aligns. */
  cls?: string;
}

/** A table of at most `cap` rows, with a note naming where the full list is when rows were left out. */
export function table<T>(rows: T[], columns: Column<T>[], opts: { cap?: number; total?: number; fullList?: string; empty?: string } = {}): SafeHtml {
  const total = opts.total ?? rows.length;
  if (total === 0) return html`<p class="empty">${opts.empty ?? 'Ingen.'}</p>`;
  const cap = opts.cap ?? 200;
  const shown = rows.slice(0, cap);
  const head = columns.map((c) => html`<th${raw(c.cls ? ` class="${c.cls}"` : '')}>${c.title}</th>`);
  const body = shown.map(
    (r) => html`<tr>${columns.map((c) => html`<td${raw(c.cls ? ` class="${c.cls}"` : '')}>${c.cell(r)}</td>`)}</tr>`,
  );
  const note =
    total > shown.length
      ? html`<p class="note">Viser ${formatCount(shown.length)} af ${formatCount(total)} rækker. Den fulde liste står i ${opts.fullList ?? 'discrepancies.csv'}.</p>`
      : raw('');
  return html`<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${note}`;
}
