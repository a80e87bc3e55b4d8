// A temporary installation for end-to-end tests: a configuration, an inbox of CSV exports written from rows, the
// database beside them, real batch runs (runBatchDetailed, its log kept), and the commands run in-process with what
// they print captured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBatchDetailed, type BatchOptions, type BatchResult } from '../../src/run/batch.ts';
import { capture } from './command-fixture.ts';

export interface Municipality {
  code: string;
  name: string;
  debtorSystem: string;
  wave: number;
  goLive: string;
  borgerblikket?: boolean;
}

/** A CSV export's text: a header and rows, RFC 4180 quoting where a field needs it, LF line ends. */
export function csvFile(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const q = (v: string | null) => (v === null ? '' : /[",\r\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => r.map(q).join(','))].join('\n') + '\n';
}

export interface Installation {
  dir: string;
  inbox: string;
  configPath: string;
  database: string;
  /** Writes a file under the inbox (a relative path) or anywhere (an absolute one), creating its folders. */
  write(rel: string, content: string | Buffer): string;
  /** A CSV export under the inbox. */
  export(rel: string, header: readonly string[], rows: readonly (readonly (string | null)[])[]): string;
  /** A real batch run; its log lines (what stderr would show) kept in `log`. */
  run(out: string, asOf: string, extra?: Partial<BatchOptions>): Promise<BatchResult & { log: string }>;
  /** A command run in-process with its argv after `--config <configPath>`. */
  command(fn: (argv: string[]) => Promise<number>, ...args: string[]): Promise<{ result: number; stdout: string; stderr: string }>;
  cleanup(): void;
}

export function installation(prefix: string, municipalities: Municipality[], extra: Record<string, unknown> = {}): Installation {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `afstem-${prefix}-`));
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  const configPath = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(configPath, JSON.stringify({ inbox: 'inbox', database: 'data/afstem.duckdb', municipalities, ...extra }, null, 2));
  const inst: Installation = {
    dir,
    inbox,
    configPath,
    database: path.join(dir, 'data', 'afstem.duckdb'),
    write(rel, content) {
      const p = path.isAbsolute(rel) ? rel : path.join(inbox, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      return p;
    },
    export(rel, header, rows) {
      return inst.write(rel, csvFile(header, rows));
    },
    async run(out, asOf, more = {}) {
      const lines: string[] = [];
      const stream = { write: (c: string) => (lines.push(String(c)), true), isTTY: false } as unknown as NodeJS.WritableStream;
      const r = await runBatchDetailed({ configPath, outDir: path.isAbsolute(out) ? out : path.join(dir, out), asOf, stream, ...more });
      return { ...r, log: lines.join('') };
    },
    command(fn, ...args) {
      return capture(() => fn(['--config', configPath, ...args]));
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return inst;
}

export const FEE_HEADER = ['fee_id', 'patron_type', 'debtor_party', 'fee_type', 'amount', 'created_at', 'status', 'paid_at', 'payment_source', 'cancelled_at', 'reason'];
export const CLAIM_HEADER = ['claim_id', 'source_ref', 'account_type', 'claim_type', 'debtor_party', 'principal', 'received_at', 'invoiced_at', 'due_date', 'collection_sent_at'];
export const PAYMENT_HEADER = ['payment_id', 'channel', 'psp_txn_ref', 'debtor_party', 'amount', 'booked_at', 'reversed_at'];
export const COVERAGE_HEADER = ['coverage_id', 'payment_id', 'claim_id', 'amount', 'covered_at', 'reversed_at'];
export const TXN_HEADER = ['txn_id', 'claim_id', 'method', 'amount', 'paid_at', 'status'];
export const INVOICE_HEADER = ['invoice_id', 'claim_id', 'amount', 'published_at'];
export const FBS_ADJ_HEADER = ['adjustment_id', 'fee_id', 'amount', 'created_at'];
export const DEB_ADJ_HEADER = ['adjustment_id', 'claim_id', 'amount', 'registered_at', 'source_ref'];
export const MIT_OVERBLIK_HEADER = ['claim_id', 'shown_outstanding', 'extracted_at'];
export const KLIK_HEADER = ['task_id', 'title', 'status', 'completed_at'];
