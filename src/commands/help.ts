// Every command's usage line and --help text, in a module that loads nothing heavy: cli.ts prints `afstem <command>
// --help` from here without importing the command (DuckDB, the pipeline, zod), and each command's parseOptions uses
// the same text. The clerks' commands (note, import) speak Danish; the operators' commands English.
import { RULE_CODES } from '../pipeline/catalog.ts';
import { HANDLING_LIMITS, MAX_ASSIGNEE_CHARS, MAX_NOTE_CHARS } from '../handling/limits.ts';
import { FORMAT_NAMES, formatHelp } from '../export/registry.ts';
import { HANDLING_STATUS_DA } from '../vocabulary.ts';

const MIB = (n: number) => `${n / 1024 / 1024} MiB`;

export const DEFAULT_CRON = '0 6 * * 1-5';

const FITS = 'The table fits the terminal (120 columns when the output is not a terminal)';

/** The width every help text keeps to (a terminal of 120 columns; the option lines were written for it). */
export const HELP_WIDTH = 120;

/**
 * A usage line as printed, `usage: afstem run --config <file> …` (`word` is 'usage', or 'brug' for the clerks'
 * commands), wrapped before an option where the line would pass HELP_WIDTH, the later lines under the first option. An
 * option keeps its value with it (`--config <file>`), a bracket its whole content (`[--as-of <instant or date>]`).
 */
export function usageText(word: string, usage: string, width = HELP_WIDTH): string {
  const words = usage.split(' ');
  const parts: string[] = [];
  for (const w of words) {
    const last = parts[parts.length - 1];
    const open = last !== undefined && (last.split('[').length > last.split(']').length || (last.startsWith('--') && !w.startsWith('-') && !w.startsWith('[')));
    if (open) parts[parts.length - 1] = `${last} ${w}`;
    else parts.push(w);
  }
  const head = `${word}: ${parts.slice(0, 2).join(' ')}`;
  const indent = ' '.repeat(head.length + 1);
  const lines = [head];
  for (const part of parts.slice(2)) {
    const line = lines[lines.length - 1];
    if (line.length + 1 + part.length > width && line.trim() !== '') lines.push(`${indent}${part}`);
    else lines[lines.length - 1] = `${line} ${part}`;
  }
  return lines.join('\n');
}

export const RUN_USAGE =
  'afstem run --config <file> --out <dir> [--as-of <instant or date>] [--memory-limit 1GB] [--full] [--banking-days-only] [--verbose]';

export const RUN_HELP = `${usageText('usage', RUN_USAGE)}

  --config             the configuration file (FORMATS.md §6)
  --out                the folder for discrepancies.csv, suggestions.csv, reversals.csv, latency.csv, rejects.csv,
                       waves.csv, summary.json, report.html and afstem.log.jsonl
  --as-of              evaluate the books as they stood at this instant (2027-01-04T04:20:30Z, +01:00 offsets, or
                       a date meaning the end of that day in Copenhagen); default: the latest creation instant in
                       the data
  --memory-limit       DuckDB's working memory (1536MB, 2GB, 1.5GiB); default a quarter of the machine's RAM, at
                       most 1GiB and at least 256MiB (DuckDB's own structures and Node come on top)
  --full               evaluate every rule, stage and mart over the whole history (the reference); by default a
                       night re-evaluates only what its files touched and what came due since the last night
  --banking-days-only  on a weekend or a Danish bank closing day (today in Copenhagen), do nothing and exit 0
  --verbose            the JSON log lines on stderr even on a terminal (they always go to afstem.log.jsonl)
Exit codes: 0 every file loaded cleanly, 3 rows or files rejected or unknown (see rejects.csv), 2 bad configuration
or arguments or a run in progress, 1 anything unexpected.`;

export const DEMO_USAGE = 'afstem demo [--out out/sample] [--config <file>] [--as-of <instant>] [--verbose]';

export const DEMO_HELP = `${usageText('usage', DEMO_USAGE)}

Runs the nightly batch on the bundled sample inbox (sample-data/, configuration sample-data/afstem.config.json) into
--out (default out/sample) and prints where the report is. The sample holds deliberately bad rows and files, which
the batch reports (rejects.csv); the demo exits 0 when the batch finished, whatever it found. For the exit codes
of the contract use afstem run.`;

export const WAVES_USAGE = 'afstem waves --config <file> [--out <dir>] [--wide]';

export const WAVES_HELP = `${usageText('usage', WAVES_USAGE)}

The go-live view of the latest run, one line per wave and municipality: debtor system, go-live, first fee in scope
and first claim since go-live, fees in the last 7 days, share of due fees that reached the debtor system, open
critical and warning discrepancies, p90 per stage against its SLA, KLIK tasks done, and the status:
  red    an open critical discrepancy first seen more than 2 banking days ago; under 95 % of the in-scope fees
         older than the fee_to_claim SLA reached the debtor system; or no fee in scope since go-live
  amber  a stage over its SLA for more than 10 % of its completed items, or open warnings
  green  otherwise
${FITS}:
the reason wraps and the columns that do not fit are left out (the last line names them); --wide shows every column.
--out <dir> also writes waves.csv there (every run writes it into its output folder too).`;

const FIRST_RULE = RULE_CODES[0];
const LAST_RULE = RULE_CODES[RULE_CODES.length - 1];

export const EXPORT_USAGE =
  `afstem export --config <file> --format ${FORMAT_NAMES.join('|')} --out <file> [--rule R16] [--severity critical] ` +
  '[--municipality 101] [--state open|new|persisting|resolved] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--excel] [--unmask]';

export const EXPORT_HELP = `${usageText('usage', EXPORT_USAGE)}

The discrepancies of the latest run (open, and those it resolved) for auditors, each with its lineage.
  --config        the configuration file (its database is read, read-only)
  --format        one of
${formatHelp('                    ')}
  --out           the file to write
  --rule          ${FIRST_RULE}-${LAST_RULE}; repeat or separate with commas for several
  --severity      critical, warning or info
  --municipality  a three-digit municipality code
  --state         open (= new or persisting), new, persisting or resolved
  --from, --to    first seen on or after / on or before this date (Europe/Copenhagen), YYYY-MM-DD
  --excel         csv for Danish Excel: ";" separated, UTF-8 BOM, decimal comma, Danish headers and values,
                  instants as Copenhagen date-times (dd-mm-åååå tt:mm:ss)
  --unmask        whole CPR numbers; recorded in the table audit_unmask (who, when, filter, rows);
                  refused while a run is in progress
Columns: rule,severity,municipality,fee_id,claim_id,payment_id,psp_txn_id,coverage_id,amount,detail,first_seen,
arose_at,age_banking_days,handling_status,case_ref,assignee,note,follow_up,handled_by,handled_at,state,resolved_at,
lineage (xlsx and --excel: the Danish headers of discrepancies.xlsx); the handling as it stands now. Text that a
spreadsheet would run as a formula gets a leading ' in csv and xlsx. afstem import reads csv and xlsx back.
Exit codes: 0 written, 2 bad arguments, no database or no run yet, or a run in progress, 1 anything unexpected.`;

export const SCHEDULE_USAGE = 'afstem schedule --config <file> [--cron "<expr>"] [--out <dir>] [--keep N] [--list N]';

export const SCHEDULE_HELP = `${usageText('usage', SCHEDULE_USAGE)}

Runs the batch (afstem run) whenever the cron expression falls due in Europe/Copenhagen on a banking day; weekends
and Danish bank closing days are skipped. Keeps running until stopped (Ctrl-C or SIGTERM end it after the run in
progress). Logs are JSON lines on stderr.
  --cron    five fields (minute hour day month weekday) or six with seconds first; default "${DEFAULT_CRON}"
            (06:00 Monday to Friday, after KMD's night batch 20:30-03:00)
  --out     the folder of the runs' output folders: each run writes into <out>/<YYYY-MM-DD> (the Copenhagen
            date of its start; <date>-2, -3 … for more runs that day) and <out>/latest points at the newest
  --keep N  after each run, remove the run folders beyond the newest N (only names of the form above)
  --list N  print the next N run times and exit`;

export const HISTORY_USAGE = 'afstem history --config <file> [--limit N] [--wide]';

export const HISTORY_HELP = `${usageText('usage', HISTORY_USAGE)}

The past runs, oldest first: asOf, start (UTC), duration, files loaded, rows rejected, open discrepancies per
severity, new and resolved discrepancies, exit code, the duration of each step (load, books, rules, stages,
outputs, report) and the run id. ${FITS}:
what does not fit is left out (the last line names it); --wide shows every column. --limit N shows the last N runs.`;

export const NOTE_USAGE =
  'afstem note --config <fil> --ref S-123 --status open|in_progress|awaiting|explained [--note "…"] ' +
  '[--assignee NAVN] [--follow-up ÅÅÅÅ-MM-DD] [--by NAVN]';

export const NOTE_HELP = `${usageText('brug', NOTE_USAGE)}

Registrerer, hvad der gøres ved én åben afvigelse, angivet ved dens sagsnummer (case_ref i discrepancies.csv og
rapporten).
  --status     open (${HANDLING_STATUS_DA.open}), in_progress (${HANDLING_STATUS_DA.in_progress}), awaiting (${HANDLING_STATUS_DA.awaiting}: kræver --follow-up) eller
               explained (${HANDLING_STATUS_DA.explained}: kræver en note om hvorfor); de danske betegnelser kan også bruges
  --note       fritekst, højst ${MAX_NOTE_CHARS.toLocaleString('da-DK')} tegn (CPR-numre maskeres, når den gemmes); "" sletter den;
               den må begynde med "-"
  --assignee   hvem der har sagen, højst ${MAX_ASSIGNEE_CHARS} tegn; "" sletter det
  --follow-up  datoen, hvor sagen skal ses på igen, ÅÅÅÅ-MM-DD; kun med --status awaiting
  --by         hvem der registrerer ændringen (standard: brugeren i styresystemet)
En note eller en ansvarlig, der ikke angives, bevares. Hver ændring føjes til revisionssporet (afstem audit).
Afslutningskoder: 0 registreret eller ingen ændring, 3 afvist (ikke åben i den seneste kørsel, ukendt sagsnummer,
manglende note eller opfølgningsdato, en for lang note eller ansvarlig), 2 forkerte argumenter, ingen database eller
en kørsel i gang, 1 alt uventet.`;

export const AUDIT_USAGE = 'afstem audit --config <file> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--municipality 101] [--wide]';

export const AUDIT_HELP = `${usageText('usage', AUDIT_USAGE)}

The audit trail of the case handling, a line per change, oldest first: when (UTC), case_ref, rule, municipality,
key (CPR numbers masked), who, each changed field as old → new, and the source (kommandolinje, the file and sheet
row it was imported from, or the run that closed it when the discrepancy resolved). Then the log of unmasked
exports (afstem export --unmask): who, when, the filter, the format, the file and the number of rows.
  --from, --to    changes on or after / on or before this date (Europe/Copenhagen), YYYY-MM-DD
  --municipality  a three-digit municipality code; repeat or separate with commas for several
  --wide          every column at its full width (default: fits the terminal, 120 columns when not a terminal)
Exit codes: 0 listed, 2 bad arguments, no database or a run in progress, 1 anything unexpected.`;

export const IMPORT_USAGE = 'afstem import --config <fil> --file <F.xlsx|F.csv> [--by NAVN] [--force]';

export const IMPORT_HELP = `${usageText('brug', IMPORT_USAGE)}

Indlæser et redigeret discrepancies.xlsx, en eksport (xlsx eller csv) eller dansk Excels ";"-csv i sagsbehandlingen.
Kun cellerne Status, Ansvarlig, Note og Opfølgning tæller (handling_status, assignee, note, follow_up); en række, der
er som i databasen, er ingen ændring. Forkerte rækker vises med arkets rækkenummer og årsagen; de gode rækker anvendes.
  --config  konfigurationsfilen (dens database skrives)
  --file    .xlsx- eller .csv-filen
  --by      hvem der har lavet ændringerne (standard: brugeren i styresystemet)
  --force   anvend også ændringer, hvor databasen er ændret efter rækkens Behandlet (handled_at)
En fil over en grænse (${MIB(HANDLING_LIMITS.fileBytes)}, ${HANDLING_LIMITS.rows.toLocaleString('da-DK')} rækker, ${MIB(HANDLING_LIMITS.inflatedBytes)} udpakket for en xlsx; README "Bad input
in the handling folder") læses ikke: afslutningskode 3.
Afslutningskoder: 0 alt anvendt, 3 rækker afvist eller i konflikt eller filen over en grænse, 2 forkerte argumenter
eller en kørsel i gang, 1 alt uventet.`;

export const SERVE_USAGE = 'afstem serve --config <file> [--host 127.0.0.1] [--port 8080]';

export const SERVE_HELP = `${usageText('usage', SERVE_USAGE)}

Serves the worklist, the cases and their handling in a browser, for the staff of each municipality: sign in with
a built-in account (afstem user) or through the single sign-on proxy's trusted header (serve.auth in the
configuration). Shares the database with the nightly run without ever holding it for more than a moment: while a
run holds it, the pages show the last finished run and changes wait in <database>.serve-journal.jsonl.
  --host  the address to listen on (default 127.0.0.1: put a reverse proxy with TLS in front, see the README)
  --port  the port (default 8080)
Runs until stopped (SIGINT, SIGTERM). Exit codes: 0 stopped, 2 bad arguments or configuration or the port is
taken, 1 anything unexpected.`;

export const USER_USAGE = 'afstem user add|list|remove|password --config <file> [--user NAME] [--municipality 101[,147]] [--role clerk|auditor|lead|operator]';

export const USER_HELP = `usage:
  afstem user add      --config <file> --user NAME --municipality 101[,147] --role clerk|auditor|lead|operator
  afstem user list     --config <file>
  afstem user remove   --config <file> --user NAME
  afstem user password --config <file> --user NAME

The built-in accounts of afstem serve. add and password read the password from standard input (its first line), or
ask for it on a terminal; at least 12 characters. It is stored only as a slow salted hash (scrypt).
Roles: clerk (sagsbehandler: reads and records handling), auditor (revisor: reads, the trail, discrepancies.xlsx),
lead (projektleder: the go-live status and the delays), operator (drift: everything, every municipality; needs no
--municipality). A user sees only the cases of its municipalities.
Exit codes: 0 done, 2 bad arguments, no database or a run in progress, 1 anything unexpected.`;

/** The --help text of each command of cli.ts. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  run: RUN_HELP,
  demo: DEMO_HELP,
  waves: WAVES_HELP,
  export: EXPORT_HELP,
  schedule: SCHEDULE_HELP,
  history: HISTORY_HELP,
  note: NOTE_HELP,
  audit: AUDIT_HELP,
  import: IMPORT_HELP,
  serve: SERVE_HELP,
  user: USER_HELP,
};
