// The afstem command line: run, demo, waves, export, schedule, history, note, audit, import, serve, user. Each
// command's module is imported only when it is called, so `afstem --help` and `--version` start without loading
// DuckDB or the pipeline; `afstem <command> --help` prints the command's help from ./commands/help.ts without
// importing the command at all.
import fs from 'node:fs';
import { AfstemError } from './errors.ts';
import { maskText } from './mask.ts';

const USAGE = `afstem: nightly reconciliation of library fees (FBS → debtor system → payment solution)

  afstem run      --config <file> --out <dir> [--as-of <ISO-8601 instant or date>] [--banking-days-only]
  afstem demo     [--out out/sample]        (npm start: the batch on the sample inbox)
  afstem waves    --config <file> [--out <dir>] [--wide]
  afstem export   --config <file> --format <format> --out <file> [filters…]
  afstem schedule --config <file> [--cron "<expr>"] [--out <dir>] [--keep N]
  afstem history  --config <file> [--limit N] [--wide]
  afstem note     --config <file> --ref S-123 --status <status> [--note …] [--assignee …] [--follow-up …] […]
  afstem audit    --config <file> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--municipality 101] [--wide]
  afstem import   --config <file> --file <F.xlsx|F.csv> [--by NAME] [--force]
  afstem serve    --config <file> [--host 127.0.0.1] [--port 8080]
  afstem user     add|list|remove|password --config <file> [--user NAME] [--municipality 101] [--role clerk]
  afstem --version

Run "afstem <command> --help" for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runBatchCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  waves: async () => (await import('./commands/waves.ts')).wavesCommand,
  export: async () => (await import('./commands/export.ts')).exportCommand,
  schedule: async () => (await import('./commands/schedule.ts')).scheduleCommand,
  history: async () => (await import('./commands/history.ts')).historyCommand,
  note: async () => (await import('./commands/note.ts')).noteCommand,
  audit: async () => (await import('./commands/audit.ts')).auditCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  user: async () => (await import('./commands/user.ts')).userCommand,
};

/** The version in package.json (one folder above src/ and dist/). */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
      if (rest.includes('--help') || rest.includes('-h')) {
        const { COMMAND_HELP } = await import('./commands/help.ts');
        process.stdout.write(`${COMMAND_HELP[command]}\n`);
        return 0;
      }
      return await (await COMMANDS[command]())(rest);
    }
    switch (command) {
      case '--version':
      case '-V':
      case 'version':
        process.stdout.write(`afstem ${version()}\n`);
        return 0;
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
    const { ConfigError } = await import('./config.ts');
    const code = e instanceof AfstemError ? e.exitCode : e instanceof ConfigError ? 2 : 1;
    process.stderr.write(`afstem: ${maskText((e as Error).message)}\n`);
    return code;
  }
}
