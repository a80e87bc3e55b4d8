// Hostile inboxes (FORMATS.md §1, §4, §6, §7): every entry under the inbox is accounted for in summary.json, one
// bad file never stops the night, and the exit code says whether anything is left to report. Each case is built as
// real files in a temporary inbox and run through the full batch; the expected outcomes are written by hand.
//
// Root reads a chmod 000 file and lists a chmod 000 folder, and the tests run as root: "no permission" is made real
// with chmod 000 and, for root, the kernel's answer (EACCES) is injected into node:fs for exactly that path. A file
// that root cannot read either is /proc/self/mem (reading it gives EIO), reached through a link. A file that vanishes
// between listing and reading is removed by a hook on the open call for that file, just before the real open.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Db } from '../../src/db.ts';
import { loadConfig } from '../../src/config.ts';
import { migrate } from '../../src/schema/migrate.ts';
import { ingestInbox } from '../../src/ingest/ingest.ts';
import { entry, expectFinished, fee, fees, hostileInbox, type HostileInbox } from './inbox-fixture.ts';

// Unforeseen failures inside one file's planning or loading: a file holding PLANBOOM makes planning throw; one
// holding LOADBOOM is staged by the real loader, which then throws (as a DuckDB error mid-load would); one holding
// OOMBOOM likewise, with DuckDB's out-of-memory error, while AFSTEM_TEST_SHORTAGE is 1.
vi.mock('../../src/ingest/load.ts', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/ingest/load.ts')>();
  return {
    ...orig,
    planFile: (bytes: Uint8Array, ...rest: [string, Record<string, never>, string]) => {
      if (Buffer.from(bytes).includes('PLANBOOM')) throw new Error('planning exploded');
      return orig.planFile(bytes, ...rest);
    },
    loadPlanned: async (...args: Parameters<typeof orig.loadPlanned>) => {
      const result = await orig.loadPlanned(...args);
      if (Buffer.from(args[3]).includes('LOADBOOM')) throw new Error('the database gave up mid-load');
      if (Buffer.from(args[3]).includes('OOMBOOM') && process.env.AFSTEM_TEST_SHORTAGE === '1') {
        throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (1023.9 MiB/1.0 GiB used)\n\nPossible solutions: ...');
      }
      return result;
    },
  };
});

let h: HostileInbox | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  h?.cleanup();
  h = undefined;
});

const GOOD = '101/fbs_fees_2026-11-20.csv';
const goodLoaded = (files: { path: string }[]) =>
  expect(entry(files as never, GOOD)).toEqual(['loaded', 2, 2, 0, null]);

function withGoodFile(): HostileInbox {
  const x = hostileInbox();
  x.write(GOOD, fees(fee('G1'), fee('G2')));
  return x;
}

describe('links in the inbox', () => {
  it('follows a link to a file and to a folder, reporting the files under the path through which they were reached', async () => {
    h = withGoodFile();
    const outside = path.join(h.dir, 'elsewhere');
    h.write(path.join(outside, 'fbs_fees_2026-11-19.csv'), fees(fee('L1')));
    h.write(path.join(outside, 'folder', 'fbs_fees_2026-11-18.csv'), fees(fee('L2'), fee('L3')));
    fs.symlinkSync(path.join(outside, 'fbs_fees_2026-11-19.csv'), path.join(h.inbox, '101', 'fbs_fees_2026-11-19.csv'));
    fs.symlinkSync(path.join(outside, 'folder'), path.join(h.inbox, '561'));
    const r = await h.run();
    expectFinished(r, 0);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual(['loaded', 1, 1, 0, null]);
    expect(entry(r.files, '561/fbs_fees_2026-11-18.csv')).toEqual(['loaded', 2, 2, 0, null]);
    expect(r.files.map((f) => f.path)).toEqual(['101/fbs_fees_2026-11-19.csv', GOOD, '561/fbs_fees_2026-11-18.csv']);
  });

  it('lists a link back into a folder being walked once, as unreadable, and does not follow it', async () => {
    h = withGoodFile();
    fs.mkdirSync(path.join(h.inbox, '101', 'sub'));
    fs.symlinkSync('..', path.join(h.inbox, '101', 'sub', 'up'));
    fs.symlinkSync(h.inbox, path.join(h.inbox, '561'));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/sub/up')).toEqual([
      'unreadable', 0, 0, 0,
      'kan ikke læses: "101/sub/up" symbolsk link tilbage til mappen "101", som allerede gennemgås; linket følges ikke',
    ]);
    expect(entry(r.files, '561')).toEqual([
      'unreadable', 0, 0, 0,
      'kan ikke læses: "561" symbolsk link tilbage til mappen indbakken selv, som allerede gennemgås; linket følges ikke',
    ]);
    expect(r.files).toHaveLength(3);
  });

  it('lists a dangling link as unreadable, naming where it points', async () => {
    h = withGoodFile();
    fs.symlinkSync('/nowhere/fbs_fees_2026-11-19.csv', path.join(h.inbox, '101', 'fbs_fees_2026-11-19.csv'));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'unreadable', 0, 0, 0,
      'kan ikke læses: "101/fbs_fees_2026-11-19.csv" symbolsk link til "/nowhere/fbs_fees_2026-11-19.csv", som ikke findes',
    ]);
  });
});

describe('entries that are not regular files', () => {
  it('lists a FIFO and a socket as unreadable without opening them', async () => {
    h = withGoodFile();
    execFileSync('mkfifo', [path.join(h.inbox, '101', 'fbs_fees_2026-11-19.csv')]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(h!.inbox, '101', 'debitor_claims_2026-11-19.csv'), resolve));
    try {
      const r = await h.run();
      expectFinished(r, 3);
      goodLoaded(r.files);
      expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
        'unreadable', 0, 0, 0, 'kan ikke læses: "101/fbs_fees_2026-11-19.csv" er en navngivet pipe (FIFO), ikke en almindelig fil',
      ]);
      expect(entry(r.files, '101/debitor_claims_2026-11-19.csv')).toEqual([
        'unreadable', 0, 0, 0, 'kan ikke læses: "101/debitor_claims_2026-11-19.csv" er en socket, ikke en almindelig fil',
      ]);
    } finally {
      server.close();
    }
  });

  it('lists a link to a device as unreadable', async () => {
    h = withGoodFile();
    fs.symlinkSync('/dev/null', path.join(h.inbox, '101', 'fbs_fees_2026-11-19.csv'));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')?.[0]).toBe('unreadable');
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')?.[4]).toBe(
      'kan ikke læses: "101/fbs_fees_2026-11-19.csv" er en enhed (device), ikke en almindelig fil',
    );
  });
});

describe('files and folders that cannot be read', () => {
  it('lists a file even root cannot read (/proc/self/mem) as unreadable with the system reason', async () => {
    h = withGoodFile();
    fs.symlinkSync('/proc/self/mem', path.join(h.inbox, '101', 'fbs_fees_2026-11-19.csv'));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'unreadable', 0, 0, 0, 'kan ikke læses: "101/fbs_fees_2026-11-19.csv" læsefejl fra filsystemet (EIO)',
    ]);
  });

  it('lists a file without read permission as unreadable', async () => {
    h = withGoodFile();
    const locked = h.write('101/fbs_fees_2026-11-19.csv', fees(fee('X1')));
    fs.chmodSync(locked, 0o000);
    denyAsRoot('openSync', locked);
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'unreadable', 0, 0, 0, 'kan ikke læses: "101/fbs_fees_2026-11-19.csv" ingen adgang (tilladelse nægtet) (EACCES)',
    ]);
  });

  it('lists a sub-folder that cannot be listed as unreadable, and loads the files beside it', async () => {
    h = withGoodFile();
    h.write('101/2026-11/fbs_fees_2026-11-19.csv', fees(fee('X1')));
    const folder = path.join(h.inbox, '101', '2026-11');
    fs.chmodSync(folder, 0o000);
    denyAsRoot('readdirSync', folder);
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(r.files.map((f) => [f.path, f.status, f.municipality, f.message])).toEqual([
      ['101/2026-11', 'unreadable', '101', 'kan ikke læses: "101/2026-11" mappen kan ikke læses: ingen adgang (tilladelse nægtet) (EACCES)'],
      [GOOD, 'loaded', '101', null],
    ]);
  });

  it('lists a file that vanished between listing and reading as unreadable', async () => {
    h = withGoodFile();
    const vanishing = h.write('101/fbs_fees_2026-11-19.csv', fees(fee('V1')));
    const open = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (p === vanishing) fs.rmSync(vanishing);
      return (open as (...a: unknown[]) => number)(p, ...rest);
    }) as typeof fs.openSync);
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'unreadable', 0, 0, 0, 'kan ikke læses: "101/fbs_fees_2026-11-19.csv" forsvandt, mens kørslen læste indbakken (ENOENT)',
    ]);
  });
});

/** Makes node:fs answer EACCES for `target` when running as root (who would otherwise read it despite chmod 000). */
function denyAsRoot(fn: 'openSync' | 'readdirSync', target: string): void {
  if (process.getuid?.() !== 0) return;
  const real = fs[fn] as (...a: unknown[]) => unknown;
  vi.spyOn(fs, fn).mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    if (p === target) throw Object.assign(new Error(`EACCES: permission denied, ${fn} '${target}'`), { code: 'EACCES' });
    return real(p, ...rest);
  }) as never);
}

describe('unknown files, identical re-deliveries and ignore patterns', () => {
  it('lists every file under a folder whose code is not configured as unknown, sub-folders included', async () => {
    h = withGoodFile();
    h.write('999/fbs_fees_2026-11-20.csv', fees(fee('U1')));
    h.write('999/deep/er/fbs_fees_2026-11-20.csv', fees(fee('U2')));
    h.write('kladde/notat.csv', 'x');
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(r.files.filter((f) => f.status === 'unknown').map((f) => [f.path, f.message])).toEqual([
      ['999/deep/er/fbs_fees_2026-11-20.csv', 'ukendt fil: "999/deep/er/fbs_fees_2026-11-20.csv" ligger i mappen 999, men kommune 999 er ikke i konfigurationen'],
      ['999/fbs_fees_2026-11-20.csv', 'ukendt fil: "999/fbs_fees_2026-11-20.csv" ligger i mappen 999, men kommune 999 er ikke i konfigurationen'],
      ['kladde/notat.csv', 'ukendt fil: "kladde/notat.csv" ligger i mappen "kladde", som ikke er en konfigureret tre-cifret kommunekode'],
    ]);
  });

  it('lists an identical re-delivery under another path as already loaded, naming the path it repeats', async () => {
    h = withGoodFile();
    h.write('101/resend/fbs_fees_2026-11-20.csv', fees(fee('G1'), fee('G2')));
    const r = await h.run();
    expectFinished(r, 0);
    goodLoaded(r.files);
    expect(entry(r.files, '101/resend/fbs_fees_2026-11-20.csv')).toEqual([
      'already_loaded', 2, 2, 0,
      'allerede indlæst: "101/resend/fbs_fees_2026-11-20.csv" har samme indhold som 101/fbs_fees_2026-11-20.csv, der er indlæst før; intet ændres',
    ]);
  });

  it('lists files matching an ignore pattern as ignored: not loaded, not unknown, no exit 3', async () => {
    h = withGoodFile();
    h.configure({ ignore: ['**/*.txt', '999/**', '101/resend/**'] });
    h.write('101/notes.txt', 'Husk: eksporten kørte to gange');
    h.write('notes.txt', 'top level');
    h.write('999/fbs_fees_2026-11-20.csv', fees(fee('I1')));
    h.write('101/resend/fbs_fees_2026-11-20.csv', fees(fee('I2', '99.00')));
    h.write('101/sub/notes.txt.bak', 'not matched by **/*.txt');
    const r = await h.run();
    expectFinished(r, 3); // the .bak file alone is unknown
    goodLoaded(r.files);
    expect(r.files.map((f) => [f.path, f.status, f.rowsRead, f.message])).toEqual([
      [GOOD, 'loaded', 2, null],
      ['101/notes.txt', 'ignored', 0, 'ignoreret: "101/notes.txt" passer på mønsteret "**/*.txt" i konfigurationens ignore'],
      ['101/resend/fbs_fees_2026-11-20.csv', 'ignored', 0, 'ignoreret: "101/resend/fbs_fees_2026-11-20.csv" passer på mønsteret "101/resend/**" i konfigurationens ignore'],
      ['101/sub/notes.txt.bak', 'unknown', 0, 'ukendt fil: "101/sub/notes.txt.bak" hedder ikke <art>_<ÅÅÅÅ-MM-DD>.csv med en kendt art'],
      ['999/fbs_fees_2026-11-20.csv', 'ignored', 0, 'ignoreret: "999/fbs_fees_2026-11-20.csv" passer på mønsteret "999/**" i konfigurationens ignore'],
      ['notes.txt', 'ignored', 0, 'ignoreret: "notes.txt" passer på mønsteret "**/*.txt" i konfigurationens ignore'],
    ]);
    fs.rmSync(path.join(h.inbox, '101', 'sub'), { recursive: true });
    const again = await h.run();
    expectFinished(again, 0); // ignored files alone never raise exit 3
  });
});

describe('one bad file never stops the night', () => {
  it('rejects a file whose planning throws, whole, with a Danish reason and a rejects row at line 1', async () => {
    h = withGoodFile();
    h.write('101/fbs_fees_2026-11-19.csv', fees(fee('PLANBOOM'), fee('P2'), '', fee('P3')));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    const reason = 'linje 1: filen kunne ikke indlæses (planning exploded); hele filen er afvist';
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual(['rejected', 3, 0, 3, reason]);
    const rejects = fs.readFileSync(path.join(r.outDir!, 'rejects.csv'), 'utf8');
    expect(rejects).toContain(`101/fbs_fees_2026-11-19.csv,1,${reason},`);
  });

  it('rejects a file whose load throws after staging rows, keeping none of them, and loads the others', async () => {
    h = withGoodFile();
    h.write('101/fbs_fees_2026-11-19.csv', fees(fee('LOADBOOM'), fee('B2')));
    const r = await h.run();
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'rejected', 2, 0, 2, 'linje 1: filen kunne ikke indlæses (the database gave up mid-load); hele filen er afvist',
    ]);
    const discrepancies = fs.readFileSync(path.join(r.outDir!, 'discrepancies.csv'), 'utf8');
    expect(discrepancies).not.toContain('LOADBOOM');
    expect(discrepancies).not.toContain('B2');
    expect(discrepancies).toContain('G1');
  });
});

describe('names DuckDB would read as a pattern', () => {
  // DuckDB's read_csv takes a path holding * ? [ { as a glob. Two copies of one export (one identity) in folders "10"
  // and "1?": the later path, "1?", replaces the earlier delivery, and its read matched "10" too, so the replacing
  // delivery held both files' rows (checked on the code before: 1?'s delivery staged B1 and X1, and X1 stayed in the
  // books although the file that replaced it does not hold it).
  it('reads a file under a folder named with glob characters as that one file', async () => {
    h = hostileInbox();
    h.write('101/10/fbs_fees_2026-11-19.csv', fees(fee('X1')));
    h.write('101/1?/fbs_fees_2026-11-19.csv', fees(fee('B1')));
    h.write('101/c[1]/fbs_fees_2026-11-17.csv', fees(fee('C1')));
    const r = await h.run();
    expect(entry(r.files, '101/1?/fbs_fees_2026-11-19.csv')?.slice(0, 4)).toEqual(['replaced', 1, 1, 0]);
    expect(entry(r.files, '101/c[1]/fbs_fees_2026-11-17.csv')).toEqual(['loaded', 1, 1, 0, null]);
    const db = await Db.open(loadConfig(h.configPath).databasePath);
    try {
      const rows = await db.all<{ path: string; fee_id: string }>(`SELECT d.path, c.fee_id FROM cur_fbs_fees c
        JOIN deliveries d USING (delivery_id) ORDER BY c.fee_id`);
      expect(rows.map((x) => [x.path, x.fee_id])).toEqual([
        ['101/1?/fbs_fees_2026-11-19.csv', 'B1'],
        ['101/c[1]/fbs_fees_2026-11-17.csv', 'C1'],
      ]);
    } finally {
      db.close();
    }
  });
  // DuckDB's reader reads every one of these paths as that one file (only glob characters needed the link above)
  it('reads files under folders named with quotes, a line break, a backslash, %, spaces, a tab, ;, $, ~ or .gz', async () => {
    h = hostileInbox();
    const names = ["it's", 'new\nline', 'back\\slash', '100%', ' space ', 'æøå', 'tab\there', 'semi;colon', 'dq"uote', 'dollar$x', '~', 'x.gz', 'ü🙂'];
    const rel = (i: number) => `101/${names[i]}/fbs_fees_2026-11-${10 + i}.csv`;
    names.forEach((_n, i) => h!.write(rel(i), fees(fee(`N${String(i).padStart(2, '0')}`))));
    const r = await h.run();
    for (const i of names.keys()) expect([names[i], entry(r.files, rel(i))]).toEqual([names[i], ['loaded', 1, 1, 0, null]]);
    const db = await Db.open(loadConfig(h.configPath).databasePath);
    try {
      const rows = await db.all<{ path: string; fee_id: string }>(`SELECT d.path, c.fee_id FROM cur_fbs_fees c
        JOIN deliveries d USING (delivery_id) ORDER BY c.fee_id`);
      expect(rows.map((x) => [x.path, x.fee_id])).toEqual(names.map((_n, i) => [rel(i), `N${String(i).padStart(2, '0')}`]));
    } finally {
      db.close();
    }
  });
});

describe('a load the machine could not finish', () => {
  // Checked on the code before: the file was rejected whole and registered under its hash, so the next run, with
  // memory enough, listed it as already loaded with every row rejected (its fees never reached the books).
  it('does not register the file: it is unreadable for the night, and the next run loads it', async () => {
    h = withGoodFile();
    h.write('101/fbs_fees_2026-11-19.csv', fees(fee('OOMBOOM'), fee('M2')));
    process.env.AFSTEM_TEST_SHORTAGE = '1';
    let r;
    try {
      r = await h.run();
    } finally {
      delete process.env.AFSTEM_TEST_SHORTAGE;
    }
    expectFinished(r, 3);
    goodLoaded(r.files);
    expect(entry(r.files, '101/fbs_fees_2026-11-19.csv')).toEqual([
      'unreadable', 0, 0, 0,
      'kunne ikke indlæses i denne kørsel (Out of Memory Error: could not allocate block of size 256.0 KiB (1023.9 MiB/1.0 GiB used)); filen er ikke registreret og læses igen ved næste kørsel',
    ]);
    expect(fs.readFileSync(path.join(r.outDir!, 'discrepancies.csv'), 'utf8')).not.toContain('M2');
    const next = await h.run();
    expect(entry(next.files, '101/fbs_fees_2026-11-19.csv')).toEqual(['loaded', 2, 2, 0, null]);
    expect(fs.readFileSync(path.join(next.outDir!, 'discrepancies.csv'), 'utf8')).toContain('M2');
  });
});

describe('exit code after a crashed run', () => {
  it('exits 3 on the rerun after a run died after its load step, and 0 on the run after that', async () => {
    h = hostileInbox();
    h.write('101/fbs_fees_2026-11-20.csv', fees(fee('C1'), fee('C2', '1,0')));
    // the run that died: it loaded the inbox and was never recorded in `runs`
    const config = loadConfig(h.configPath);
    const db = await Db.open(config.databasePath);
    await migrate(db);
    await ingestInbox(db, config, 1);
    db.close();
    const rerun = await h.run();
    expectFinished(rerun, 3);
    expect(entry(rerun.files, '101/fbs_fees_2026-11-20.csv')?.slice(0, 4)).toEqual(['already_loaded', 2, 1, 1]);
    const next = await h.run();
    expectFinished(next, 0);
  });
});

describe('crash recovery', () => {
  it('a load cut off before its delivery was registered leaves nothing behind: the rerun equals a run on a fresh database', async () => {
    h = withGoodFile();
    h.write('101/fbs_fees_2026-11-19.csv', fees(fee('K1'), fee('K2', '1,0')));
    const fresh = await h.run(path.join(h.dir, 'fresh'));
    expectFinished(fresh, 3);
    fs.rmSync(path.join(h.dir, 'afstem.duckdb'));
    // the state a kill -9 leaves between staging a file's rows and registering its delivery: rows and rejects
    // staged under a delivery id the registry does not hold
    const config = loadConfig(h.configPath);
    const db = await Db.open(config.databasePath);
    await migrate(db);
    await ingestInbox(db, config, 1);
    await db.run(`DELETE FROM deliveries WHERE path = '101/fbs_fees_2026-11-19.csv'`);
    db.close();
    const rerun = await h.run(path.join(h.dir, 'rerun'));
    expectFinished(rerun, 3);
    expect(entry(rerun.files, '101/fbs_fees_2026-11-19.csv')).toEqual(['loaded', 2, 1, 1, null]);
    for (const f of ['discrepancies.csv', 'rejects.csv', 'latency.csv', 'reversals.csv']) {
      expect(fs.readFileSync(path.join(h.dir, 'rerun', f), 'utf8'), f).toBe(fs.readFileSync(path.join(h.dir, 'fresh', f), 'utf8'));
    }
  });
});

describe('paths that must lie outside the inbox, and an inbox that must be a readable folder', () => {
  const exit2 = async (x: HostileInbox, more: Record<string, unknown>, message: RegExp) => {
    x.configure(more);
    const r = await x.run();
    expect(r.exitCode).toBe(2);
    expect(r.error).toMatch(message);
  };

  it('refuses "/" as the inbox, since the database lies inside it', async () => {
    h = hostileInbox();
    await exit2(h, { inbox: '/' }, /^database: .* lies inside the inbox \//);
  });

  it('refuses a database path that is a file in the inbox, and leaves no lock file there', async () => {
    h = withGoodFile();
    await exit2(h, { database: `inbox/${GOOD}` }, /^database: .*lies inside the inbox/);
    expect(fs.readdirSync(path.join(h.inbox, '101'))).toEqual(['fbs_fees_2026-11-20.csv']);
  });

  it('refuses a database reached through a link into the inbox, and a handling folder inside it', async () => {
    h = withGoodFile();
    fs.symlinkSync(path.join(h.inbox, '101'), path.join(h.dir, 'db-link'));
    await exit2(h, { database: 'db-link/afstem.duckdb' }, /^database: .*lies inside the inbox/);
    await exit2(h, { handling: { folder: 'inbox/handling' } }, /^handling\.folder: .*lies inside the inbox/);
  });

  it('refuses an inbox that is a file or missing', async () => {
    h = hostileInbox();
    h.write(path.join(h.dir, 'afile'), 'x');
    await exit2(h, { inbox: 'afile' }, /^inbox: .*afile is not a folder/);
    await exit2(h, { inbox: 'missing' }, /^inbox: the folder .*missing does not exist/);
  });
});
