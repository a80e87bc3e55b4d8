// Aligned text tables for people at a terminal (`afstem waves`, `afstem history`): two spaces between columns,
// numbers right-aligned, a dashed rule under the header. A table fits a 120-column terminal: a column that may wrap
// (a reason) is wrapped onto more lines first, then columns are left out in the order their `drop` rank gives,
// and a last line names what was left out; `wide` shows every column at its full width.

export const TERMINAL_COLUMNS = 120;

export interface TextColumn {
  header: string;
  /** Numbers are right-aligned. */
  align?: 'left' | 'right';
  /** Left out to fit: the highest rank first; columns without a rank are always shown. */
  drop?: number;
  /** The column may wrap onto more lines, down to this width. */
  wrapMin?: number;
  /** Where a wrapped cell may break (default: at any space); `/(?<=,)\s+/` keeps `load 23.6 s` together. */
  breakAt?: RegExp;
}

export interface TableOptions {
  /** Default 120. */
  width?: number;
  /** Every column, full width, however wide the table becomes. */
  wide?: boolean;
}

const GAP = 2;

/** Words of a cell broken into lines of at most `width` characters (a longer word is cut). */
export function wrapText(text: string, width: number, breakAt: RegExp = /\s+/): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(breakAt).filter((w) => w !== '')) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
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

/** The table as text, each line ending in a newline; a last line names the columns left out to fit. */
export function textTable(columns: TextColumn[], rows: string[][], opts: TableOptions = {}): string {
  const natural = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i].length)));
  const { shown, widths } = layout(columns, natural, opts);
  const cell = (text: string, i: number) => (columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const lines = (r: string[]): string[] => {
    const parts = shown.map((i) => (r[i].length > widths[i] ? wrapText(r[i], widths[i], columns[i].breakAt) : [r[i]]));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_x, k) =>
      shown.map((i, j) => cell(parts[j][k] ?? '', i)).join(' '.repeat(GAP)).trimEnd(),
    );
  };
  const out = [
    ...lines(columns.map((c) => c.header)),
    shown.map((i) => '-'.repeat(widths[i])).join(' '.repeat(GAP)),
    ...rows.flatMap(lines),
  ];
  const left = columns.filter((_c, i) => !shown.includes(i)).map((c) => c.header);
  const width = opts.width ?? TERMINAL_COLUMNS;
  if (left.length) out.push(...wrapText(`(left out to fit ${width} columns: ${left.join(', ')}; --wide shows all)`, width));
  return out.join('\n') + '\n';
}
