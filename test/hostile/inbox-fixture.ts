// A temporary inbox built from real files (links, FIFOs, sockets, folders) and a full batch run over it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { runBatchDetailed, type BatchResult } from '../../src/run/batch.ts';
import type { FileSummary } from '../../src/ingest/ingest.ts';

export const FEES_HEADER =
  'fee_id;patron_type;debtor_party;fee_type;amount;created_at;status;paid_at;payment_source;cancelled_at;reason';
export const fee = (id: string, amount = '10.00') => `${id};adult_cpr;12345678;overdue_fee;${amount};2026-11-20 10:00;open;;;;`;
export const fees = (...rows: string[]) => [FEES_HEADER, ...rows].join('\n') + '\n';
export const AS_OF = '2026-11-21T00:00:00Z';

export interface HostileInbox {
  /** The temporary folder holding inbox/, the configuration, the database and the outputs. */
  dir: string;
  inbox: string;
  configPath: string;
  /** Writes a file below the inbox (or anywhere, for an absolute path), creating its folders. */
  write(rel: string, content: string | Buffer): string;
  /** Writes the configuration with extra keys merged in. */
  configure(extra?: Record<string, unknown>): void;
  run(out?: string): Promise<BatchResult & { files: FileSummary[] }>;
  cleanup(): void;
}

export function hostileInbox(extra: Record<string, unknown> = {}): HostileInbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-hostile-'));
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  const configPath = path.join(dir, 'afstem.config.json');
  const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
  let runs = 0;
  const h: HostileInbox = {
    dir,
    inbox,
    configPath,
    write(rel, content) {
      const p = path.isAbsolute(rel) ? rel : path.join(inbox, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      return p;
    },
    configure(more = {}) {
      fs.writeFileSync(
        configPath,
        JSON.stringify({
          inbox: 'inbox',
          database: 'afstem.duckdb',
          municipalities: [
            { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
            { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
          ],
          ...extra,
          ...more,
        }),
      );
    },
    async run(out) {
      const r = await runBatchDetailed({ configPath, outDir: out ?? path.join(dir, `out${++runs}`), asOf: AS_OF, stream: sink });
      return { ...r, files: r.summary?.files ?? [] };
    },
    cleanup() {
      for (const p of walkAll(dir)) {
        try {
          fs.chmodSync(p, 0o700);
        } catch {
          // a dangling link or a socket: removed below all the same
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  h.configure();
  return h;
}

function walkAll(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) {
      try {
        fs.chmodSync(p, 0o700);
      } catch {
        // ignore
      }
      out.push(...walkAll(p));
    }
  }
  return out;
}

/** The batch finished (never exit 1), and no file loses rows: rows read = loaded + rejected, per file. */
export function expectFinished(r: BatchResult & { files: FileSummary[] }, exitCode: 0 | 3): void {
  expect(r.error).toBeUndefined();
  expect(r.exitCode).toBe(exitCode);
  expect(r.summary?.exitCode).toBe(exitCode);
  for (const f of r.files) expect(f.rowsRead, f.path).toBe(f.rowsLoaded + f.rowsRejected);
  // the summary written to disk is the one returned
  const written = JSON.parse(fs.readFileSync(path.join(r.outDir!, 'summary.json'), 'utf8')) as { files: FileSummary[] };
  expect(written.files).toEqual(r.files);
}

/** One file's entry in the summary, as [status, rowsRead, rowsLoaded, rowsRejected, message]. */
export function entry(files: FileSummary[], p: string): [string, number, number, number, string | null] | undefined {
  const matches = files.filter((f) => f.path === p);
  expect(matches.length, `${p} listed once`).toBeLessThanOrEqual(1);
  const f = matches[0];
  return f && [f.status, f.rowsRead, f.rowsLoaded, f.rowsRejected, f.message];
}
