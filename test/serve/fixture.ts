// The served worklist's test world: a real batch run on a hand-made inbox of two municipalities, 101 København and
// 147 Frederiksberg, that share ids and amounts (the same fees F1…F5, the same claims C2 and C3), built accounts of
// each role, a real server on 127.0.0.1 (any free port), and a browser-like client over fetch (cookies, the forms'
// tokens, the page's Origin).
//   per municipality: F1 (debtor CPR-shaped), F4 and 0101801234 (its id a CPR number) have no claim: R01; C2 is F2's
//   claim with principal 40.00 against 100.00 (R04, −60.00) and C3 is F3's with 60.00 against 10.00 (R04, +50.00);
//   C9 names no fee (R02) and has F4's amount and debtor: the suggested match of F4 (RULES.md §6).
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Db } from '../../src/db.ts';
import { loadConfig } from '../../src/config.ts';
import { runBatchDetailed, type BatchResult } from '../../src/run/batch.ts';
import { addUser } from '../../src/serve/users.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/server.ts';
import { builtOnce } from '../helpers/built-once.ts';

export const PASSWORD = 'en-lang-adgangskode-1';
const FEES = 'fee_id;patron_type;debtor_party;fee_type;amount;created_at;status;paid_at;payment_source;cancelled_at;reason';
const CLAIMS = 'claim_id;source_ref;account_type;claim_type;debtor_party;principal;received_at';

export interface World {
  dir: string;
  configPath: string;
  database: string;
  /** The case reference of (municipality, rule, key). */
  ref(municipality: string, rule: string, key: string): string;
  /** The case references of a municipality's discrepancies whose key is this id, sorted. */
  refsOfKey(municipality: string, key: string): string[];
  /** Another nightly run (asOf one day later each time). */
  night(): Promise<BatchResult>;
  cleanup(): void;
}

const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });

/** The world in `dir`: its inbox, configuration (paths relative to it), the first night's run and the accounts. */
async function buildWorld(dir: string, serve: Record<string, unknown>): Promise<void> {
  for (const m of ['101', '147']) {
    fs.mkdirSync(path.join(dir, 'inbox', m), { recursive: true });
    fs.writeFileSync(path.join(dir, 'inbox', m, 'fbs_fees_2026-11-20.csv'), [FEES,
      'F1;adult_cpr;0101801234;overdue_fee;10.00;2026-11-20 10:00;open;;;;',
      'F2;adult_cpr;12345678;overdue_fee;100.00;2026-11-20 10:00;open;;;;',
      'F3;adult_cpr;12345678;overdue_fee;10.00;2026-11-20 10:00;open;;;;',
      'F4;adult_cpr;12345678;overdue_fee;40.00;2026-11-19 10:00;open;;;;',
      '0101801234;adult_cpr;12345678;overdue_fee;7.00;2026-11-19 10:00;open;;;;',
    ].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'inbox', m, 'debitor_claims_2026-11-20.csv'), [CLAIMS,
      'C2;F2;library_fees;overdue_fee;12345678;40.00;2026-11-20 10:30',
      'C3;F3;library_fees;overdue_fee;12345678;60.00;2026-11-20 10:30',
      'C9;;library_fees;overdue_fee;12345678;40.00;2026-11-19 12:00',
    ].join('\n') + '\n');
  }
  const configPath = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(configPath, JSON.stringify({
    inbox: 'inbox',
    database: 'afstem.duckdb',
    municipalities: [
      { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
      { code: '147', name: 'Frederiksberg', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
    ],
    serve: { auth: { header: 'X-Remote-User', trustedProxies: ['10.1.2.3'], users: {
      'anna@kommune.dk': { municipalities: ['101'], role: 'clerk' },
    } }, ...serve },
  }));
  const first = await runBatchDetailed({ configPath, outDir: path.join(dir, 'out-23'), asOf: '2026-11-23T05:00:00Z', stream: sink });
  if (first.error || first.exitCode !== 0) throw new Error(`the fixture's run failed: ${first.exitCode} ${first.error}`);
  const db = await Db.open(path.join(dir, 'afstem.duckdb'));
  try {
    for (const [name, role, municipalities] of [
      ['anna', 'clerk', ['101']], ['bo', 'clerk', ['147']], ['revi', 'auditor', ['101']], ['lise', 'lead', ['101']], ['ole', 'operator', []],
    ] as const) await addUser(db, { name, role, municipalities: [...municipalities], password: PASSWORD });
  } finally {
    db.close();
  }
}

/**
 * A new copy of the world: built once (../helpers/built-once.ts: the same run and the same accounts, five scrypt
 * hashes, for each of the five serve test files) and copied into a new folder for each caller.
 */
export async function makeWorld(serve: Record<string, unknown> = {}): Promise<World> {
  const dir = await builtOnce('serve', ['test/serve/fixture.ts'], JSON.stringify(serve), (at) => buildWorld(at, serve));
  const configPath = path.join(dir, 'afstem.config.json');
  const database = path.join(dir, 'afstem.duckdb');
  let day = 24; // the world's first night was the 23rd
  const night = () => runBatchDetailed({ configPath, outDir: path.join(dir, `out-${day}`), asOf: `2026-11-${day++}T05:00:00Z`, stream: sink });
  const refs = new Map<string, string>();
  const db = await Db.open(database, { readOnly: true });
  try {
    for (const r of await db.all<{ m: string; rule: string; key: string; ref: string }>(
      `SELECT municipality AS m, rule, key_id AS key, 'S-' || case_no AS ref FROM case_refs`)) refs.set(`${r.m}/${r.rule}/${r.key}`, r.ref);
  } finally {
    db.close();
  }
  return {
    dir,
    configPath,
    database,
    ref: (m, rule, key) => {
      const r = refs.get(`${m}/${rule}/${key}`);
      if (!r) throw new Error(`no case ${m}/${rule}/${key}`);
      return r;
    },
    refsOfKey: (m, key) => [...refs].filter(([k]) => k.startsWith(`${m}/`) && k.endsWith(`/${key}`)).map(([, v]) => v).sort(),
    night,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function serve(world: World, opts: ServeOptions = {}): Promise<RunningServer> {
  return startServer(loadConfig(world.configPath), { port: 0, pollMs: 100_000, ...opts });
}

/** A client that keeps its cookies and sends its page's Origin, like a browser on the server's own pages. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(readonly base: string, private readonly origin: string | null = base) {}

  async get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const r = await fetch(this.base + p, { redirect: 'manual', headers: { cookie: this.cookie(), ...headers } });
    this.keep(r);
    return { status: r.status, text: await r.text(), headers: r.headers };
  }

  async post(p: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const h: Record<string, string> = { cookie: this.cookie(), 'content-type': 'application/x-www-form-urlencoded', ...headers };
    if (this.origin !== null && !('origin' in headers)) h.origin = this.origin;
    if (h.origin === '') delete h.origin; // neither Origin nor Referer
    const r = await fetch(this.base + p, { method: 'POST', redirect: 'manual', headers: h, body: new URLSearchParams(fields) });
    this.keep(r);
    return { status: r.status, text: await r.text(), headers: r.headers };
  }

  /** Signs in through the form; returns the answer to the POST. */
  async signIn(user: string, password = PASSWORD): Promise<{ status: number; text: string; headers: Headers }> {
    const form = await this.get('/login');
    return this.post('/login', { user, password, _csrf: token(form.text) });
  }

  private cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: Response): void {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const [k, v] = [pair.slice(0, i), pair.slice(i + 1)];
      if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
  }
}

/** The form token of a page. */
export function token(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no form token on the page');
  return m[1];
}

/** The hidden `seen` of a case page's form. */
export function seen(page: string): string {
  return /name="seen" value="([^"]*)"/.exec(page)?.[1] ?? '';
}

/** The case references shown in a page's tables, in order. */
export function refsIn(page: string): string[] {
  return [...page.matchAll(/<a href="\/sager\/(S-\d+)">/g)].map((m) => m[1]);
}

/** Rows of the database file (opened briefly, read-only). */
export async function query<T>(database: string, sql: string): Promise<T[]> {
  const db = await Db.open(database, { readOnly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}
