// `afstem demo` (what `npm start` runs): the batch on the bundled sample inbox, for a newcomer. It exits 0 when the
// batch finished, also when it met the sample's deliberately bad rows (the batch's own exit code 3), and prints a
// short summary: where the report is, the counts, and that the bad rows are on purpose. `afstem run` keeps the
// contract's exit codes; this command is only the demo.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskText } from '../mask.ts';
import { relative, runParsed } from './run.ts';
import { parseOptions, runCommand } from './common.ts';
import { DEMO_HELP, DEMO_USAGE } from './help.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLE_CONFIG = path.join(ROOT, 'sample-data', 'afstem.config.json');

const OPTIONS = {
  config: { type: 'string' },
  out: { type: 'string' },
  'as-of': { type: 'string' },
  verbose: { type: 'boolean', default: false },
} as const;

export async function demoCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, DEMO_USAGE, DEMO_HELP);
    const out = v.out ?? 'out/sample';
    const result = await runParsed({ config: v.config ?? SAMPLE_CONFIG, out, 'as-of': v['as-of'], verbose: v.verbose });
    if (result.error || !result.summary) {
      process.stderr.write(`afstem demo: the sample batch did not finish: ${maskText(result.error ?? 'no summary')}\n`);
      return result.exitCode === 0 || result.exitCode === 3 ? 1 : result.exitCode;
    }
    const s = result.summary;
    const dir = relative(result.outDir!);
    const rows = s.files.reduce((n, f) => n + f.rowsRejected, 0);
    const badFiles = s.files.filter((f) => ['rejected', 'unknown', 'unreadable'].includes(f.status)).length;
    const lines = [
      `afstem demo: the sample batch finished (books as of ${s.asOf}).`,
      `  report:   ${path.join(dir, 'report.html')}`,
      `  open discrepancies: ${s.totals.open} (${s.totals.critical} critical, ${s.totals.warning} warning, ${s.totals.info} info)`,
      `  files: ${s.files.length}, rows rejected: ${rows}, files rejected or not read: ${badFiles}, warnings: ${s.warnings.length}`,
      ...(rows + badFiles > 0
        ? [`  The sample holds deliberately bad rows and files: see ${path.join(dir, 'rejects.csv')} (afstem run exits 3 for them).`]
        : []),
      `  all outputs: ${dir}/  log: ${path.join(dir, 'afstem.log.jsonl')}`,
    ];
    process.stdout.write(maskText(lines.join('\n') + '\n') ?? '');
    return 0;
  });
}
