// The terminal tables of `afstem waves`, `history` and `audit`: aligned columns that fit the terminal (120 columns
// when not a terminal) by wrapping a reason at words and paths, then leaving out columns by rank (and taking back one
// that fits again), naming what was left out; widths as a terminal shows them (string-width).
import { stepIdOf } from '../src/run/steps.ts';
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { displayWidth, outputWidth, textTable, wrapText, type TextColumn } from '../src/outputs/text-table.ts';
import { formatWaves } from '../src/commands/waves.ts';
import { formatRuns, type RunRow } from '../src/commands/history.ts';
import { formatAudit, type TrailLine } from '../src/commands/audit.ts';
import { WAVES_COLUMNS, type WaveRow } from '../src/outputs/waves.ts';

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

// Issue 23, item 6: the tables split words ("delive/ries"), put a space into paths ("handling/ 101/ uge48.xlsx"),
// counted UTF-16 units instead of terminal columns, and were 120 columns wide on an 80-column terminal. Checked
// against the code before the fix: wrapText gave 'suggest matches and watch the deliver' / 'ies 0.0 s' and
// 'handling/ 101/', a two-column character padded as one, and there was no outputWidth (120 always).
describe('wrapping at words and paths (issue 23)', () => {
  it('never cuts a word that a space could break before, even inside a preferred break', () => {
    const steps = 'load 1.8 s, books 0.2 s, import the handling folder 0.0 s, rules 0.6 s, suggest matches and watch the deliveries 0.0 s';
    const lines = wrapText(steps, 37, /(?<=,)\s+/);
    expect(lines).toEqual([
      'load 1.8 s, books 0.2 s,',
      'import the handling folder 0.0 s,',
      'rules 0.6 s, suggest matches and',
      'watch the deliveries 0.0 s',
    ]);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(37);
  });

  it('breaks a path after a "/" and adds nothing to it', () => {
    expect(wrapText('handling/101/uge48.xlsx række 4', 14, /(?<=[,/ ])/)).toEqual(['handling/101/', 'uge48.xlsx', 'række 4']);
    expect(wrapText('/var/lib/afstem/out/2026-11-27/discrepancies.xlsx', 20)).toEqual(['/var/lib/afstem/out/', '2026-11-27/', 'discrepancies.xlsx']);
    // a word with no place to break is cut only as a last resort, and never inside a character
    expect(wrapText('FD101-X0001 æøåæøåæøåæøå', 6)).toEqual(['FD101-', 'X0001', 'æøåæøå', 'æøåæøå']);
  });

  it('measures terminal columns: æøå one each, a wide character two, a combining mark none', () => {
    expect(displayWidth('æøå')).toBe(3);
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    const text = textTable([{ header: 'navn' }, { header: 'n', align: 'right' }], [['漢字', '1'], ['Aarhus', '12'], ['Ærø', '3']]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toEqual(['navn     n', '------  --', '漢字     1', 'Aarhus  12', 'Ærø      3']);
    expect(new Set(lines.slice(2).map((l) => stringWidth(l))).size).toBe(1);
  });

  it('follows the terminal: its columns on a terminal (at least 40), 120 when written to a file or a pipe', () => {
    expect(outputWidth({ isTTY: true, columns: 80 })).toBe(80);
    expect(outputWidth({ isTTY: true, columns: 200 })).toBe(200);
    expect(outputWidth({ isTTY: true, columns: 20 })).toBe(40);
    expect(outputWidth({ isTTY: false, columns: 80 })).toBe(120);
    expect(outputWidth({})).toBe(120);
  });
});

describe('the commands\' tables at 80 and 120 columns (issue 23)', () => {
  const wave: WaveRow = Object.fromEntries(WAVES_COLUMNS.map((c) => [c, null])) as WaveRow;
  const waves: WaveRow[] = [
    { ...wave, wave: 4, municipality: '147', name: 'Frederiksberg', debtor_system: 'kmd_opus', go_live: '2026-11-01', fees_last_7_days: 1,
      reached_pct: '100.0', open_critical: 0, open_warning: 1, fee_to_claim_p90_hours: '0.50', fee_to_claim_sla: '1 h', status: 'red',
      reason: 'leverancer mangler: dækninger (debitor_coverages) siden 20. november, indbetalinger (debitor_payments) siden 20. november; 1 åben advarsel' },
    { ...wave, wave: 4, municipality: '751', name: 'Aarhus', debtor_system: 'eg_os_indsigt', go_live: '2026-11-01', fees_last_7_days: 9,
      reached_pct: '94.98', open_critical: 2, open_warning: 1, fee_to_claim_p90_hours: '0.62', fee_to_claim_sla: '1 h', status: 'red',
      reason: '2 kritiske afvigelser opstod for mere end 2 bankdage siden; 1 åben advarsel' },
  ];
  const run: RunRow = {
    run_seq: 1, run_id: '20261127T050000Z-aaaa', as_of: '2026-11-27T02:00:00Z', started_at: '2026-11-27T05:00:00Z', finished_at: null,
    exit_code: 3, files_read: 221, rows_rejected: 14, critical: 19, warning: 19, info: 1, new_count: 39, resolved_count: 0, duration_ms: 5100,
    steps: [['load the inbox', 1800], ['build the current books', 200], ['import the handling folder', 0], ['evaluate rules R01–R22', 600],
      ['suggest matches and watch the deliveries', 0], ['measure the four stages', 0], ['write the outputs', 0], ['write the report', 600],
      ["write the municipalities' reports", 900]].map(([step, ms]) => ({ id: stepIdOf(step as string) ?? (step as string), step: step as string, ms: ms as number })),
  };
  const trail: TrailLine = {
    seq: 1, changed_at: '2026-12-06T18:34:32Z', case_ref: 'S-2', rule: 'R01', municipality: '101', key_id: 'MV101-X0002', who: 'Anna Andersen',
    source: 'handling/101/uge48.xlsx række 4', old_status: 'open', new_status: 'explained', old_assignee: null, new_assignee: null,
    old_note: null, new_note: 'kontant betalt på biblioteket, se bilag', old_follow_up: null, new_follow_up: null,
  };
  const tables = (width: number) => [
    formatWaves(waves, { width }),
    formatRuns([run], { width }),
    formatAudit([trail], [{ who: 'revisor', unmasked_at: '2026-12-06T18:40:00Z', filter_json: '{"rules":["R16"],"municipalities":["101"]}',
      format: 'csv', out_file: '/srv/afstem/revision/2026-12/R16-koebenhavn.csv', row_count: 3 }], { width }),
  ];

  for (const width of [80, 120]) {
    it(`keeps every line within ${width} columns, cuts no word and splits no path`, () => {
      const text = tables(width).join('');
      for (const l of text.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      expect(text).not.toMatch(/deliver$|^\s*ies\b/m);
      expect(text).not.toMatch(/\S\/ \S/); // nothing inserted after a "/" of a path
      // the words of each wrapped cell come back whole when the lines are joined
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      for (const w of words(waves[0].reason as string)) expect(words(text), w).toContain(w);
    });
  }

  it('at 80 columns keeps what a reader needs: status and reason, the run\'s rejects and exit, who changed what', () => {
    const [w, h, a] = tables(80);
    expect(w.split('\n')[0]).toMatch(/^bølge\s+kommune\s+nået\s+krit\s+adv\s+status\s+årsag$/);
    expect(h.split('\n')[0]).toMatch(/^run\s+asOf\s+duration\s+rej\s+crit\s+warn\s+exit\s+steps$/);
    expect(h).toContain('suggestions 0.0 s');
    expect(a.split('\n')[0]).toMatch(/^hvornår \(UTC\)\s+sag\s+hvem\s+ændring \(før → efter\)\s+kilde$/);
    expect(a).toMatch(/handling\/101\/\s*$/m);
  });
});
