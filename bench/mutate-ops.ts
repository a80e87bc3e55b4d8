// The operator mutations of bench/mutate.ts: one small change to one line of a SQL model, each a realistic bug.
// Comments (from `--` to the end of the line) and string literals are never mutated.

export interface Mutant {
  file: string; // relative to the repository, e.g. queries/rules/R01_fee_not_transferred.sql
  line: number; // 1-based, for the reader only (allow-list entries name the line's text, not its number)
  op: string;
  original: string; // the whole line as in the file
  mutated: string; // the whole line after the change
}

/** The code part of a line with string literals and the comment blanked out (same length), to match operators in. */
function codeMask(line: string): string {
  let out = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!inStr && c === '-' && line[i + 1] === '-') return out + ' '.repeat(line.length - i);
    if (c === "'") {
      inStr = !inStr;
      out += ' ';
      continue;
    }
    out += inStr ? ' ' : c;
  }
  return out;
}

interface Edit {
  op: string;
  start: number;
  end: number;
  text: string;
}

const replaceAt = (s: string, e: Edit) => s.slice(0, e.start) + e.text + s.slice(e.end);

/** Every match of re in the masked code as an edit replacing the match by repl(match). */
function edits(code: string, re: RegExp, op: string, repl: (m: RegExpExecArray) => string): Edit[] {
  const out: Edit[] = [];
  for (const m of code.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    out.push({ op, start: m.index!, end: m.index! + m[0].length, text: repl(m as RegExpExecArray) });
  }
  return out;
}

/** The end (exclusive) of the balanced expression starting at i: stops at a top-level `,` or `)` or the line end. */
function exprEnd(code: string, i: number, stopWords = /^(AND|OR|THEN|WHEN|ELSE|END|ASC|DESC)\b/i): number {
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return j;
      depth--;
    } else if (depth === 0 && c === ',') return j;
    else if (depth === 0 && j > i && /\s/.test(code[j - 1]) && stopWords.test(code.slice(j))) return j;
  }
  return code.length;
}

/** `coalesce(x, 0)` → `x` (only a two-argument coalesce whose second argument is the number 0). */
function coalesceZero(code: string, line: string): Edit[] {
  const out: Edit[] = [];
  for (const m of code.matchAll(/\bcoalesce\(/gi)) {
    const a = m.index! + m[0].length;
    const aEnd = exprEnd(code, a, /^$/);
    if (code[aEnd] !== ',') continue;
    const b = aEnd + 1;
    const bEnd = exprEnd(code, b, /^$/);
    if (code[bEnd] !== ')' || !/^\s*0(\.0+)?(::\w+(\(\d+,\s*\d+\))?)?\s*$/.test(code.slice(b, bEnd))) continue;
    out.push({ op: 'coalesce(x, 0) → x', start: m.index!, end: bEnd + 1, text: line.slice(a, aEnd).trim() });
  }
  return out;
}

/** `AND x` dropped: from AND to the end of its operand (balanced), when the line has code before the AND or after. */
function dropAnd(code: string): Edit[] {
  const out: Edit[] = [];
  for (const m of code.matchAll(/\bAND\b/g)) {
    // BETWEEN a AND b: dropping `AND b` is a syntax error, not a bug
    if (/\bBETWEEN\b[^()]*$/i.test(code.slice(0, m.index!))) continue;
    const end = exprEnd(code, m.index! + 3);
    out.push({ op: 'AND x dropped', start: m.index!, end, text: '' });
  }
  return out;
}

/** Adjacent columns of an ORDER BY list swapped (the list on one line, up to a `)` or the line end). */
function orderBySwaps(code: string, line: string): Edit[] {
  const out: Edit[] = [];
  for (const m of code.matchAll(/\bORDER BY\s+/gi)) {
    const items: [number, number][] = [];
    let i = m.index! + m[0].length;
    for (;;) {
      const end = exprEnd(code, i, /^(ROWS|RANGE|LIMIT)\b/i);
      items.push([i, end]);
      if (code[end] !== ',') break;
      i = end + 1;
    }
    for (let k = 0; k + 1 < items.length; k++) {
      const [a0, a1] = items[k];
      const [b0, b1] = items[k + 1];
      const a = line.slice(a0, a1).trim();
      const b = line.slice(b0, b1).trim();
      if (!a || !b) continue;
      const lead = line.slice(a0, a1).match(/^\s*/)![0];
      const tail = line.slice(b0, b1).match(/\s*$/)![0];
      out.push({ op: 'ORDER BY columns swapped', start: a0, end: b1, text: `${lead}${b}, ${a}${tail}` });
    }
  }
  return out;
}

/** Every mutant of one line. */
export function mutateLine(line: string): { op: string; mutated: string }[] {
  const code = codeMask(line);
  if (!code.trim()) return [];
  const all: Edit[] = [
    ...edits(code, /<=/, '<= → <', () => '<'),
    ...edits(code, /(?<![<>!=-])<(?![=>])/, '< → <=', () => '<='),
    ...edits(code, />=/, '>= → >', () => '>'),
    ...edits(code, /(?<![<>!=-])>(?![=>])/, '> → >=', () => '>='),
    ...edits(code, /(?<![<>!=:])=(?![=>])/, '= → <>', () => '<>'),
    ...edits(code, /<>|!=/, '<> → =', () => '='),
    ...edits(code, /\bASC\b/, 'ASC → DESC', () => 'DESC'),
    ...edits(code, /\bDESC\b/, 'DESC → ASC', () => 'ASC'),
    ...edits(code, /\bmin\(/i, 'min → max', () => 'max('),
    ...edits(code, /\bmax\(/i, 'max → min', () => 'min('),
    ...edits(code, /\barg_min\(/i, 'arg_min → arg_max', () => 'arg_max('),
    ...edits(code, /\barg_max\(/i, 'arg_max → arg_min', () => 'arg_min('),
    ...edits(code, /\bgreatest\(/i, 'greatest → least', () => 'least('),
    ...edits(code, /\bleast\(/i, 'least → greatest', () => 'greatest('),
    ...coalesceZero(code, line),
    ...dropAnd(code),
    ...orderBySwaps(code, line),
  ];
  return all.map((e) => ({ op: e.op, mutated: replaceAt(line, e) })).filter((m) => m.mutated !== line);
}

/** Every mutant of one file's text. */
export function mutateFile(file: string, text: string): Mutant[] {
  const out: Mutant[] = [];
  text.split('\n').forEach((original, i) => {
    for (const m of mutateLine(original)) out.push({ file, line: i + 1, op: m.op, original, mutated: m.mutated });
  });
  return out;
}

/** A glob with `*` (within a path segment) and `**` (across segments) as a RegExp over repository-relative paths. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
