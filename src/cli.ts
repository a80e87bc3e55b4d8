// The afstem command line: run, waves, export, schedule, history.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBatchDetailed } from './pipeline/batch.ts';
import { ConfigError } from './config.ts';
import { AfstemError } from './errors.ts';
import { maskText } from './mask.ts';

const USAGE = `afstem: nightly reconciliation of library fees (FBS → debtor system → payment solution)

  afstem run      --config <file> [--as-of <ISO-8601 instant or date>] --out <dir>
  afstem waves    --config <file> [--out <dir>]
  afstem export   --config <file> --format csv|xlsx|parquet|arrow --out <file> [filters…]
  afstem schedule --config <file> [--cron "<expr>"]
  afstem history  --config <file>

Run "afstem <command> --help" for a command's options.`;

const RUN_USAGE = `afstem run --config <file> [--as-of <instant or date>] --out <dir> [--memory-limit 2GB]

  --config   the configuration file (FORMATS.md §6)
  --as-of    evaluate the books as they stood at this instant (2027-01-04T04:20:30Z, +01:00 offsets, or a date
             meaning the end of that day in Copenhagen); default: the latest creation instant in the data
  --out      the folder for discrepancies.csv, reversals.csv, latency.csv, rejects.csv, waves.csv,
             summary.json and report.html`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'waves':
        return await (await import('./commands/waves.ts')).wavesCommand(rest);
      case 'export':
        return await (await import('./commands/export.ts')).exportCommand(rest);
      case 'schedule':
        return await (await import('./commands/schedule.ts')).scheduleCommand(rest);
      case 'history':
        return await (await import('./commands/history.ts')).historyCommand(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`afstem: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    // The one place an error ends a command: its exit code if it carries one (AfstemError), 2 for a bad
    // configuration, else 1; the message CPR-masked (FORMATS.md §5).
    const code = e instanceof AfstemError ? e.exitCode : e instanceof ConfigError ? 2 : 1;
    process.stderr.write(`afstem: ${maskText((e as Error).message)}\n`);
    return code;
  }
}

async function runCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        'as-of': { type: 'string' },
        out: { type: 'string' },
        'memory-limit': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`afstem run: ${(e as Error).message}\n\n${RUN_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(RUN_USAGE + '\n');
    return 0;
  }
  if (!values.config || !values.out) {
    process.stderr.write(`afstem run: --config and --out are required\n\n${RUN_USAGE}\n`);
    return 2;
  }
  const result = await runBatchDetailed({
    configPath: values.config,
    outDir: values.out,
    asOf: values['as-of'],
    memoryLimit: values['memory-limit'],
  });
  if (result.error) {
    process.stderr.write(`afstem run: ${maskText(result.error)}\n`);
    return result.exitCode;
  }
  const s = result.summary!;
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const rejected = s.files.reduce((n, f) => n + f.rowsRejected, 0);
  const unknown = s.files.filter((f) => f.status === 'unknown').length;
  const text =
    [
      `afstem: books as of ${s.asOf}: ${s.totals.open} open discrepancies (${s.totals.critical} critical, ${s.totals.warning} warning, ${s.totals.info} info)`,
      `files in effect: ${s.files.length - unknown}, rows rejected: ${rejected}, unknown files: ${unknown}`,
      ...s.warnings.map((w) => `warning: ${w}`),
      `report:  ${rel(path.join(result.outDir!, 'report.html'))}`,
      `outputs: ${rel(result.outDir!)}/ (discrepancies.csv, reversals.csv, latency.csv, rejects.csv, waves.csv, summary.json)`,
      `exit code ${s.exitCode}${s.exitCode === 3 ? ' (some rows or files were rejected or unknown: see rejects.csv)' : ''}`,
    ].join('\n') + '\n';
  process.stdout.write(maskText(text) ?? '');
  return s.exitCode;
}
