// Aligned text tables for people at a terminal (`afstem waves`, `afstem history`, `afstem audit`): two spaces between
// columns, numbers right-aligned, a dashed rule under the header. Widths are terminal columns as string-width
// measures them (æøå one column, a wide character two, a combining mark none). A table fits the width it is given
// (the terminal's, outputWidth): a column that may wrap (a reason) is wrapped onto more lines first, then columns are
// left out in the order their `drop` rank gives, and a last line names what was left out; `wide` shows every column
// at its full width. Text wraps at word boundaries, and a path after a "/": a word is cut only when nothing else fits.
import stringWidth from 'string-width';

/** The width of a table written anywhere but a terminal (a file, a pipe, a test). */
export const TERMINAL_COLUMNS = 120;

/** Narrower than this, a table is laid out for this width anyway (and the terminal wraps what is wider). */
const MIN_COLUMNS = 40;

export interface TextColumn {
  header: string;
  /** Numbers are right-aligned. */
  align?: 'left' | 'right';
  /** Left out to fit: the highest rank first; columns without a rank are always shown. */
  drop?: number;
  /** The column may wrap onto more lines, down to this width. */
  wrapMin?: number;
  /** Where a wrapped cell prefers to break (default: at any space); `/(?<=,)\s+/` keeps `load 23.6 s` together. */
  breakAt?: RegExp;
}

export interface TableOptions {
  /** Default 120 (TERMINAL_COLUMNS); a command passes outputWidth(). */
  width?: number;
  /** Every column, full width, however wide the table becomes. */
  wide?: boolean;
  /** The language of the last line that names what was left out: 'da' for the tables project leads and auditors
   * read (waves, audit), English (the default) for the operators' (history). */
  lang?: 'da' | 'en';
}

const GAP = 2;

/** The columns a text takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * The width to lay a table out for: the terminal's columns when the stream is a terminal (at least 40), else 120, so
 * what is written to a file or a pipe does not depend on the terminal it was started from.
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (stream.isTTY && typeof stream.columns === 'number' && stream.columns > 0) return Math.max(MIN_COLUMNS, stream.columns);
  return TERMINAL_COLUMNS;
}

interface Piece {
  text: string;
  /** What joins it to the piece before it on the same line: a space, or nothing inside a word or path. */
  glue: string;
}

/** The ways to break a text that is too wide, after the column's own: at spaces, after a "/", after "-_.,;:". */
const FALLBACK_BREAKS = [/\s+/, /(?<=\/)/, /(?<=[-_.,;:])/];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A text broken where `re` matches: the parts, each with the text of the match before it (its glue). */
function splitAt(text: string, re: RegExp, glue: string): Piece[] {
  const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: Piece[] = [];
  let at = 0;
  let before = glue;
  for (const m of text.matchAll(all)) {
    if (m.index === 0 && m[0] === '') continue;
    out.push({ text: text.slice(at, m.index), glue: before });
    before = m[0];
    at = m.index + m[0].length;
  }
  out.push({ text: text.slice(at), glue: before });
  return out.filter((p) => p.text !== '');
}

/** The pieces of a text, each no wider than `width` where any break allows it; only an unbreakable word is cut. */
function pieces(text: string, glue: string, width: number, breaks: RegExp[]): Piece[] {
  if (displayWidth(text) <= width) return [{ text, glue }];
  if (breaks.length === 0) {
    // nowhere to break: cut by characters (whole graphemes)
    const out: Piece[] = [];
    let chunk = '';
    for (const { segment } of graphemes.segment(text)) {
      if (chunk && displayWidth(chunk + segment) > width) {
        out.push({ text: chunk, glue: out.length ? '' : glue });
        chunk = '';
      }
      chunk += segment;
    }
    if (chunk) out.push({ text: chunk, glue: out.length ? '' : glue });
    return out;
  }
  const [first, ...rest] = breaks;
  const parts = splitAt(text, first, glue);
  if (parts.length <= 1) return pieces(text, glue, width, rest);
  return parts.flatMap((p) => pieces(p.text, p.glue, width, rest));
}

/** A cell's text broken into lines of at most `width` columns, at `breakAt` first (default: at spaces). */
export function wrapText(text: string, width: number, breakAt: RegExp = /\s+/): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const p of pieces(text, '', width, [breakAt, ...FALLBACK_BREAKS])) {
    const joined = line === '' ? p.text : `${line}${p.glue}${p.text}`;
    if (line === '' || displayWidth(joined.trimEnd()) <= width) line = joined;
    else {
      lines.push(line.trimEnd());
      line = p.text.trimStart();
    }
  }
  if (line || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** Which columns are shown and how wide each is. */
function layout(columns: TextColumn[], natural: number[], opts: TableOptions): { shown: number[]; widths: number[] } {
  const width = opts.width ?? TERMINAL_COLUMNS;
  const widths = [...natural];
  let shown = columns.map((_c, i) => i);
  const dropped: number[] = [];
  if (opts.wide) return { shown, widths };
  const narrowest = (i: number) => Math.min(natural[i], columns[i].wrapMin ?? natural[i]);
  const total = (cols: number[], w: (i: number) => number) => cols.reduce((s, i) => s + w(i), 0) + GAP * (cols.length - 1);
  while (total(shown, narrowest) > width) {
    const candidates = shown.filter((i) => columns[i].drop !== undefined);
    if (candidates.length === 0) break;
    const gone = candidates.reduce((a, b) => (columns[b].drop! > columns[a].drop! ? b : a));
    shown = shown.filter((i) => i !== gone);
    dropped.unshift(gone);
  }
  // A column left out early may fit again beside what is left (the most wanted first).
  for (const i of dropped) {
    const withIt = [...shown, i].sort((a, b) => a - b);
    if (total(withIt, narrowest) <= width) shown = withIt;
  }
  // Wrapping columns share what is left of the width, each at least its minimum.
  const wrapping = shown.filter((i) => columns[i].wrapMin !== undefined && natural[i] > columns[i].wrapMin!);
  let spare = width - total(shown, (i) => (wrapping.includes(i) ? narrowest(i) : natural[i]));
  for (const i of wrapping) {
    const grow = Math.max(0, Math.min(natural[i] - narrowest(i), spare));
    widths[i] = narrowest(i) + grow;
    spare -= grow;
  }
  return { shown, widths };
}

/** The text padded with spaces to `width` columns, on the left for right alignment. */
function pad(text: string, width: number, align: TextColumn['align']): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** The table as text, each line ending in a newline; a last line names the columns left out to fit. */
export function textTable(columns: TextColumn[], rows: string[][], opts: TableOptions = {}): string {
  const natural = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i]))));
  const { shown, widths } = layout(columns, natural, opts);
  const lines = (r: string[]): string[] => {
    const parts = shown.map((i) => (displayWidth(r[i]) > widths[i] ? wrapText(r[i], widths[i], columns[i].breakAt) : [r[i]]));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_x, k) =>
      shown.map((i, j) => pad(parts[j][k] ?? '', widths[i], columns[i].align)).join(' '.repeat(GAP)).trimEnd(),
    );
  };
  const out = [
    ...lines(columns.map((c) => c.header)),
    shown.map((i) => '-'.repeat(widths[i])).join(' '.repeat(GAP)),
    ...rows.flatMap(lines),
  ];
  const left = columns.filter((_c, i) => !shown.includes(i)).map((c) => c.header);
  const width = opts.width ?? TERMINAL_COLUMNS;
  const note = opts.lang === 'da'
    ? `(udeladt for at passe til ${width} kolonner: ${left.join(', ')}; --wide viser alle)`
    : `(left out to fit ${width} columns: ${left.join(', ')}; --wide shows all)`;
  if (left.length) out.push(...wrapText(note, width));
  return out.join('\n') + '\n';
}
