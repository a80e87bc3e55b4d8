// Text people typed reaches a terminal inert (issue 22): a note with ESC and BEL (an OSC sequence that retitles an
// xterm, a CSI that clears it), a name with them, a case number with them, a line break inside a note: `afstem note`,
// `afstem import` and `afstem audit` show each as an escape (`\x1b`, `\x07`, `\n`) and send none. Checked on the code
// before issue 22: audit printed the note's ESC and BEL raw, note printed --by raw, import printed the case number raw.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, fee } from '../helpers/books.ts';
import { capture, tempDir, writeConfig } from '../helpers/command-fixture.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { auditCommand } from '../../src/commands/audit.ts';
import { importCommand } from '../../src/commands/import.ts';
import { inert } from '../../src/terminal.ts';

let dir: string;
let config: string;
// C0 (but the line breaks afstem writes itself), DEL, C1 and the bidirectional overrides
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

beforeAll(async () => {
  dir = tempDir('terminal');
  config = writeConfig(dir);
  const b = await Books.open('2026-11-26T12:00:00Z', { file: path.join(dir, 'db.duckdb') });
  await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'));
  await b.evaluate();
  await updateLifecycle(b.db, 1, new Date('2026-11-26T12:00:00Z'), 'run-1');
  b.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('text for a terminal', () => {
  it('inert shows every control character as an escape', () => {
    expect(inert('a\u001b]0;titel\u0007b\nc\td\u009b2J\u202eé😀')).toBe('a\\x1b]0;titel\\x07b\\nc\\td\\x9b2J\\u202eé😀');
  });

  it('afstem note and afstem audit send no control character of a note or a name', async () => {
    const n = await capture(() => noteCommand(['--config', config, '--ref', 'S-1', '--status', 'explained',
      '--note', 'betalt\u001b]0;pwned\u0007\r\nkontant\u001b[2J', '--by', 'Bo\u001b[31m Berg']));
    expect(n.result, n.stderr).toBe(0);
    expect(n.stdout).not.toMatch(RAW);
    expect(n.stdout).toBe('S-1 (R01, kommune 101, F1): Åben → Forklaret, registreret af Bo\\x1b[31m Berg i revisionssporet\n');
    const a = await capture(() => auditCommand(['--config', config, '--wide']));
    expect(a.result, a.stderr).toBe(0);
    expect(a.stdout).not.toMatch(RAW);
    expect(a.stdout).toContain('note – → «betalt\\x1b]0;pwned\\x07\\nkontant\\x1b[2J»');
    expect(a.stdout).toContain('Bo\\x1b[31m Berg');
  });

  it('afstem import sends no control character of a case number or a reason', async () => {
    const f = path.join(dir, 'ond.csv');
    fs.writeFileSync(f, 'Sagsnummer;Status;Ansvarlig;Note;Opfølgning\r\n"S-\u001b]0;x\u0007";I gang;;;\r\nS-2;Måske\u001b[2J;;;\r\n');
    const r = await capture(() => importCommand(['--config', config, '--file', f, '--by', 'Kim']));
    expect(r.result, r.stderr).toBe(3);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout.split('\n').slice(1, 3)).toEqual([
      '  afvist   ond.csv, linje 2: S-\\x1b]0;x\\x07: «S-\\x1b]0;x\\x07» er ikke et sagsnummer (S- og et tal)',
      '  afvist   ond.csv, linje 3: S-2: ukendt status «Måske\\x1b[2J»: vælg Åben, I gang, Afventer eller Forklaret',
    ]);
  });
});
