// The terminal tables of `afstem waves` and `afstem history`: aligned columns that fit 120 columns by wrapping a
// reason, then leaving out columns by rank (and taking back one that fits again), naming what was left out.
import { describe, expect, it } from 'vitest';
import { textTable, wrapText, type TextColumn } from '../src/outputs/text-table.ts';

describe('textTable', () => {
  const columns: TextColumn[] = [
    { header: 'n', align: 'right' },
    { header: 'name' },
    { header: 'extra', drop: 1 },
    { header: 'detail', drop: 2 },
    { header: 'reason', wrapMin: 10 },
  ];
  const rows = [
    ['1', 'København', 'xxxxxxxxxx', 'dddddddddddddddddddd', 'en kritisk afvigelse ældre end 2 bankdage'],
    ['12', 'Aarhus', 'y', 'd', 'ok'],
  ];

  it('aligns numbers right and text left, two spaces apart, when the table fits', () => {
    expect(textTable(columns, rows, { width: 200 })).toBe(
      [
        ' n  name       extra       detail                reason',
        '--  ---------  ----------  --------------------  -----------------------------------------',
        ' 1  København  xxxxxxxxxx  dddddddddddddddddddd  en kritisk afvigelse ældre end 2 bankdage',
        '12  Aarhus     y           d                     ok',
        '',
      ].join('\n'),
    );
  });

  it('wraps the reason, leaves out the highest rank first, takes back what fits, and says so', () => {
    // 2 + 9 + 10 + 20 + 10 + 4 gaps * 2 = 59 > 50: detail (rank 2) goes; then 2 + 9 + 10 + 10 + 6 = 37 fits,
    // and the reason grows into the 13 columns left (to 23)
    const text = textTable(columns, rows, { width: 50 });
    expect(text).toBe(
      [
        ' n  name       extra       reason',
        '--  ---------  ----------  -----------------------',
        ' 1  København  xxxxxxxxxx  en kritisk afvigelse',
        '                           ældre end 2 bankdage',
        '12  Aarhus     y           ok',
        '(left out to fit 50 columns: detail; --wide shows',
        'all)',
        '',
      ].join('\n'),
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('leaves out the next rank when one is not enough, and shows everything with wide', () => {
    const narrow = textTable(columns, rows, { width: 30 });
    expect(narrow.split('\n')[0]).toBe(' n  name       reason');
    expect(narrow.split('\n')[3]).toBe('               afvigelse ældre');
    expect(narrow.replace(/\n(?!$)/g, ' ')).toContain('(left out to fit 30 columns: extra, detail; --wide shows all)');
    const wide = textTable(columns, rows, { width: 30, wide: true });
    expect(wide.split('\n')[2]).toBe(' 1  København  xxxxxxxxxx  dddddddddddddddddddd  en kritisk afvigelse ældre end 2 bankdage');
    expect(wide).not.toContain('left out');
  });
});

describe('wrapText', () => {
  it('breaks at spaces, cuts a word longer than the width, and can keep parts together', () => {
    expect(wrapText('load 23.6 s, books 1.2 s, rules 2.3 s', 14, /(?<=,)\s+/)).toEqual(['load 23.6 s,', 'books 1.2 s,', 'rules 2.3 s']);
    expect(wrapText('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
    expect(wrapText('short', 10)).toEqual(['short']);
  });
});
