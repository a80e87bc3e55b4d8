// A temporary inbox on disk and a database loaded from it, for the ingest tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../../src/db.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { migrate } from '../../src/schema/migrate.ts';
import { ingestInbox, type IngestResult } from '../../src/ingest/ingest.ts';
import { buildCurrent } from '../../src/ingest/current.ts';

export interface Fixture {
  dir: string;
  inbox: string;
  config: Config;
  db: Db;
  write(rel: string, content: string | Buffer): void;
  load(): Promise<IngestResult>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function fixture(extra: Record<string, unknown> = {}): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-test-'));
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  const config = parseConfig(
    {
      inbox: 'inbox',
      database: 'afstem.duckdb',
      municipalities: [
        { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
        { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
      ],
      ...extra,
    },
    path.join(dir, 'afstem.config.json'),
  );
  const db = await Db.open(config.databasePath);
  await migrate(db);
  let runSeq = 0;
  return {
    dir,
    inbox,
    config,
    db,
    write(rel, content) {
      const p = path.join(inbox, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    },
    async load() {
      const r = await ingestInbox(db, config, ++runSeq);
      await buildCurrent(db);
      return r;
    },
    rows: (sql) => db.all(sql),
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Windows-1252 bytes for a string of Latin-1 letters (æøåÆØÅé… share their code points below 0x100). */
export function cp1252(s: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Buffer.from(
    Array.from(s).map((ch) => {
      if (special[ch] !== undefined) return special[ch];
      const c = ch.codePointAt(0)!;
      if (c > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
      return c;
    }),
  );
}

export const FEES_HEADER = 'fee_id;patron_type;debtor_party;fee_type;amount;created_at;status;paid_at;payment_source;cancelled_at;reason';
