// One vocabulary (src/vocabulary.ts): the domain's Danish words are written there alone. No other module of src/ and no
// page script of reports/ spells one of them as a string of its own ('kritisk', "I gang", `Forklaret`) or as the text
// of an element (>advarsel<): they take it from the vocabulary (the page script from the data the report gives it).
// Checked against the code before the vocabulary: it found the severities, states and statuses in report/labels.ts,
// outputs/discrepancies-xlsx.ts, handling/store.ts, report/sections/handling-import.ts, report/sections/worklist.ts
// and reports/worklist/detail.js.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as V from '../src/vocabulary.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

/** The Danish words of the domain (a word that is its own code, such as `info`, is no Danish word). */
function words(): string[] {
  const maps: Record<string, string>[] = [
    V.SEVERITY_DA, V.STATE_DA, V.HANDLING_STATUS_DA, V.KIND_DA, V.DEBTOR_SYSTEM_DA, V.FILE_STATUS_DA, V.HANDLING_FILE_STATUS_DA,
    Object.fromEntries(Object.entries(V.WAVE_STATUS).map(([k, v]) => [k, v.label])),
    Object.fromEntries(Object.entries(V.STAGES_DA).map(([k, v]) => [k, v.label])),
  ];
  return [...new Set(maps.flatMap((m) => Object.entries(m).filter(([code, da]) => code !== da).map(([, da]) => da)))];
}

/** The code of a file without its comments (// to the end of a line, /* … *\/), so a word in prose does not count. */
function code(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('the vocabulary', () => {
  const sources = [...files(path.join(ROOT, 'src'), /\.ts$/), ...files(path.join(ROOT, 'reports'), /\.js$/)]
    .filter((f) => f !== path.join(ROOT, 'src', 'vocabulary.ts'));

  it('has the words of the domain', () => {
    expect(words()).toEqual(expect.arrayContaining(['kritisk', 'advarsel', 'vedvarende', 'løst', 'Åben', 'I gang', 'Afventer', 'Forklaret', 'indbetalinger', 'KMD Opus Debitor', 'rød']));
    expect(sources.some((f) => f.endsWith(path.join('reports', 'worklist', 'detail.js')))).toBe(true);
  });

  it('is the one place a Danish word of the domain is written as a string or an element\'s text', () => {
    const found: string[] = [];
    for (const f of sources) {
      const text = code(f);
      for (const w of words()) {
        const quoted = new RegExp(`(title: )?(['"\`>])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\2|<)`, 'g');
        for (const m of text.matchAll(quoted)) {
          // a table's column title is the report's own word ('I gang': the stages' items in flight)
          if (!m[1] && (m[2] === m[3] || (m[2] === '>' && m[3] === '<'))) found.push(`${path.relative(ROOT, f)}: ${m[0]}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
