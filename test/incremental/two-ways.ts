// One installation run night by night two ways (issue 27): the default path (incremental once it lands) and
// `full: true` (the reference), each with its own database and output folder, fed the same inbox.
//
// Both ways run in the same folder: the installation (configuration and inbox) lies at `<root>/afstem`, and each way
// keeps its `data/` (the database, its WAL and lock) and `out/` in `<root>/default` or `<root>/full` between its runs,
// moved into `<root>/afstem` for its run and the handling commands before it, and moved back after. So every path a
// run writes (the configuration, inbox, database and --out in the log, the files' paths) is the same for both ways,
// and the outputs need no normalising of paths. The handling commands run in-process with the clock set to the
// step's `at` (vi.setSystemTime, Date only), so both databases record the same instants in their trails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { runBatchDetailed, type Summary } from '../../src/run/batch.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { importCommand } from '../../src/commands/import.ts';
import { capture } from '../helpers/command-fixture.ts';
import { csvRows } from '../helpers/csv.ts';
import { csvFile } from '../helpers/e2e-inbox.ts';
import { MUNICIPALITIES, type CaseOf, type HandlingStep, type Night } from './history.ts';
import { readOutputs, type Outputs } from './outputs.ts';

export type Way = 'default' | 'full';

/** What one way's run of one night gave. */
export interface NightRun {
  exitCode: number;
  summary?: Summary;
  lookBack?: boolean;
  error?: string;
  /** The output folder, normalised (outputs.ts). */
  outputs: Outputs;
  /** The exit codes of the handling commands before the run. */
  handlingExits: number[];
  /** What the handling commands printed (for a failing assertion's message). */
  handlingText: string;
}

/** The key column of each rule's discrepancy (RULES.md §3), to find its case_ref in discrepancies.csv. */
const KEY_COLUMN: Record<string, string> = {
  R01: 'fee_id', R02: 'claim_id', R03: 'claim_id', R04: 'claim_id', R05: 'claim_id', R06: 'claim_id', R07: 'fee_id',
  R08: 'claim_id', R09: 'claim_id', R10: 'psp_txn_id', R11: 'payment_id', R12: 'payment_id', R13: 'payment_id',
  R14: 'payment_id', R15: 'payment_id', R16: 'claim_id', R17: 'coverage_id', R18: 'fee_id', R19: 'fee_id',
  R20: 'fee_id', R21: 'claim_id', R22: 'claim_id',
};

export class TwoWays {
  readonly root: string;
  /** The installation's folder, where each way runs in turn. */
  readonly home: string;
  readonly configPath: string;
  readonly inbox: string;
  /** Each way's run ids, to the night whose run each is (outputs.ts writes them `<run N>`). */
  readonly runIds: Record<Way, Map<string, number>> = { default: new Map(), full: new Map() };
  /** Each way's case_ref of every discrepancy its runs listed (`rule municipality key`; a case_ref never changes). */
  private readonly cases: Record<Way, Map<string, string>> = { default: new Map(), full: new Map() };

  /** `genConfig`: the generator's afstem.config.json, whose municipalities of the history and SLA are kept. */
  constructor(genConfig: string) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-two-ways-'));
    this.home = path.join(this.root, 'afstem');
    this.inbox = path.join(this.home, 'inbox');
    fs.mkdirSync(this.inbox, { recursive: true });
    for (const way of ['default', 'full']) fs.mkdirSync(path.join(this.root, way));
    const gen = JSON.parse(fs.readFileSync(genConfig, 'utf8')) as { municipalities: { code: string }[]; sla: unknown; ignore: string[] };
    this.configPath = path.join(this.home, 'afstem.config.json');
    fs.writeFileSync(this.configPath, JSON.stringify({
      inbox: 'inbox',
      database: 'data/afstem.duckdb',
      municipalities: gen.municipalities.filter((m) => MUNICIPALITIES.includes(m.code)),
      sla: gen.sla,
      ignore: gen.ignore,
    }, null, 2));
  }

  /** A night's files into the inbox both ways read. */
  deliver(night: Night): void {
    for (const d of night.deliveries) {
      const p = path.join(this.inbox, d.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, d.bytes);
    }
  }

  private move(way: Way, into: boolean): void {
    for (const name of ['data', 'out']) {
      const [from, to] = into ? [path.join(this.root, way, name), path.join(this.home, name)] : [path.join(this.home, name), path.join(this.root, way, name)];
      if (fs.existsSync(from)) fs.renameSync(from, to);
    }
    const left = fs.readdirSync(this.home).filter((n) => !['afstem.config.json', 'inbox', 'handling-files'].includes(n));
    if (!into && left.length) throw new Error(`the ${way} run left ${left.join(', ')} beside its output folder`);
  }

  /** The handling steps before a night, then the night's run, the one way. */
  async run(night: Night, way: Way): Promise<NightRun> {
    this.move(way, true);
    try {
      const handlingExits: number[] = [];
      let handlingText = '';
      for (const h of night.handling) {
        const r = await this.handle(h, way).catch((e: Error) => ({ result: -1, stdout: '', stderr: `${h.command}: ${e.message}\n` }));
        handlingExits.push(r.result);
        handlingText += r.stdout + r.stderr;
      }
      const out = path.join(this.home, 'out');
      const stream = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
      const r = await runBatchDetailed({ configPath: this.configPath, outDir: out, asOf: night.asOf, stream, full: way === 'full' });
      if (r.summary) this.runIds[way].set(r.summary.runId, night.n);
      const outputs = fs.existsSync(out) ? readOutputs(out, this.runIds[way]) : new Map<string, string>();
      for (const row of csvRows(outputs.get('discrepancies.csv') ?? '')) {
        this.cases[way].set(`${row.rule} ${row.municipality} ${row[KEY_COLUMN[row.rule]]}`, row.case_ref);
      }
      return { exitCode: r.exitCode, summary: r.summary, lookBack: r.lookBack, error: r.error, outputs, handlingExits, handlingText };
    } finally {
      this.move(way, false);
    }
  }

  /** The case_ref of a discrepancy listed by an earlier run (the last run may be a look back to before it arose). */
  private caseRef(c: CaseOf, way: Way): string {
    const ref = this.cases[way].get(`${c.rule} ${c.municipality} ${c.key}`);
    if (!ref) throw new Error(`no run listed ${c.rule} ${c.key} of ${c.municipality} in discrepancies.csv: the history lost a case`);
    return ref;
  }

  private async handle(h: HandlingStep, way: Way): Promise<{ result: number; stdout: string; stderr: string }> {
    let argv: [typeof noteCommand, string[]];
    if (h.command === 'note') {
      argv = [noteCommand, ['--ref', this.caseRef(h.case, way), ...h.args]];
    } else {
      const file = path.join(this.home, 'handling-files', h.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, csvFile(['case_ref', 'handling_status', 'assignee', 'note', 'follow_up', 'handled_at'],
        h.rows.map((r) => [this.caseRef(r.case, way), r.status, r.assignee, r.note, r.followUp, ''])));
      argv = [importCommand, ['--file', file, '--by', 'Eva Import']];
    }
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(h.at));
    try {
      return await capture(() => argv[0](['--config', this.configPath, ...argv[1]]));
    } finally {
      vi.useRealTimers();
    }
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
