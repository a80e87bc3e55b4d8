// The hand-made mutations of issue 25, item 4, for bench/mutate-ts.ts: the code added in issues 17-24 (case handling,
// the lock, the output folder, the masking call sites, the report's sections and their SQL under reports/, the
// commands, and the few models of queries/ whose bugs bench/mutate.ts's operators cannot make), with the operators
// that made the bugs that survived the suite: a masking call dropped, a filter by municipality dropped, `>` for `>=` at
// a date boundary, the UTC date taken for the Copenhagen date, an argument not passed on, a rename replaced by a
// delete. Each names the tests that should catch it (bench/mutate-ts.ts runs them, bailing at the first failure).
import fs from 'node:fs';
import path from 'node:path';

export interface TsMutant {
  name: string;
  /** Relative to the repository. */
  file: string;
  /** The text replaced (its first occurrence) and what replaces it. */
  from: string;
  to: string;
  tests: string[];
  /** Why no output can change (an equivalent mutation): listed, not run, not counted. */
  equivalent?: string;
}

const MASKING = ['test/content/masking.test.ts'];
const SEPARATION = ['test/content/separation.test.ts'];
const HANDLING_BOOKS = ['test/handling/edges-books.test.ts'];
const HANDLING_COMMANDS = ['test/handling/edges-commands.test.ts'];
const FOLDER_IMPORT = ['test/handling/import-folder.test.ts'];
const IMPORT = ['test/handling/round-trip.test.ts', 'test/handling/import-xlsx.test.ts'];
const LOCK = ['test/faults/lock.test.ts', 'test/lock.test.ts'];
const OUT = ['test/faults/out-folder.test.ts'];
const MIDNIGHT = ['test/boundaries/local-midnight.test.ts'];

const masking: TsMutant[] = [
  ['discrepancies.xlsx text cells', 'src/outputs/discrepancies-xlsx.ts', "spreadsheetSafe(maskText(String(v)) ?? '')", 'spreadsheetSafe(String(v))'],
  ['the worklist hints (embedded data)', 'src/report/sections/worklist.ts', 'if (t) hints.push([i, m(t)]);', 'if (t) hints.push([i, t]);'],
  ['the worklist rows\' ids (embedded data)', 'src/report/sections/worklist.ts', '      id: m(r.key_id),\n      amount:', '      id: str(r.key_id),\n      amount:'],
  ['the worklist descriptions (embedded data)', 'src/report/sections/worklist.ts', 'clip(danishAmounts(m(r.detail)), DETAIL_TEXT_CAP)', 'clip(danishAmounts(str(r.detail)), DETAIL_TEXT_CAP)'],
  ['the cases off the worklist (embedded data)', 'src/report/sections/worklist.ts', 'id: m(r.key_id), amount: r.amount === null', 'id: str(r.key_id), amount: r.amount === null'],
  ['the report\'s html template', 'src/report/html.ts', "escapeHtml(maskText(String(v)) ?? '')", 'escapeHtml(String(v))'],
  ['import\'s summary', 'src/commands/import.ts', "const masked = lines.map((l) => inert(maskText(l) ?? ''));", 'const masked = lines.map((l) => inert(l));'],
  ['run\'s printed lines', 'src/commands/run.ts', "stdout.write(maskText(runLines(result).join('\\n') + '\\n') ?? '');", "stdout.write(runLines(result).join('\\n') + '\\n');"],
  ['a command\'s error message', 'src/commands/common.ts', "stderr.write(`afstem: ${inertLines(maskText(text) ?? '')}\\n`)", 'stderr.write(`afstem: ${inertLines(text)}\\n`)'],
  ['note\'s printed key', 'src/commands/note.ts', '${maskText(current.key_id)})', '${current.key_id})'],

  ['the log\'s messages', 'src/log.ts', 'msg: maskText(msg),', 'msg,'],
  ['the log\'s fields', 'src/log.ts', '...(maskDeep(fields ?? {}) as object)', '...(fields ?? {})'],
  ['summary.json', 'src/run/summary.ts', 'JSON.stringify(maskDeep(summary), null, 2)', 'JSON.stringify(summary, null, 2)'],
  ['the CSV writer', 'src/outputs/csv.ts', "spreadsheetSafe(opts.mask === false ? s : (maskText(s) ?? ''))", 'spreadsheetSafe(s)'],
  ['the export\'s rows (parquet, arrow)', 'src/export/rows.ts', "if (c !== 'amount') out[c] = maskText(r[c]);", "if (c !== 'amount') out[c] = r[c];"],
  ['the handling\'s free text as stored', 'src/handling/store.ts', 'return t === null ? null : maskText(t);', 'return t === null ? null : t;'],
].map(([what, file, from, to]) => ({ name: `masking dropped: ${what}`, file, from, to, tests: MASKING } as TsMutant)).concat([{
  name: 'masking dropped: the audit\'s table cells', file: 'src/commands/audit.ts', tests: MASKING,
  from: "describeChange(t), t.source]\n      .map((c) => inert(maskText(c) ?? '')));", to: "describeChange(t), t.source]\n      .map((c) => inert(c)));",
  equivalent: 'auditCommand masks the whole printed text again; the cells are masked first for their column widths',
}]);

/** The report queries whose municipality filter no output depends on, with the reason. */
const EQUIVALENT_FILTERS: Record<string, string> = {
  'reports/context/municipalities.sql': 'the names are looked up for the rows shown; a municipality\'s report shows its own rows alone',
  'reports/explain/hints.sql': 'the hints are looked up by municipality, rule and key: another municipality\'s hint matches no row shown',
  'reports/stages/breach-rate.sql': 'the heatmap comparing the municipalities is not drawn in a municipality\'s report',
  'reports/stages/spread.sql': 'the chart comparing the municipalities is not drawn in a municipality\'s report',
};

/** Every report query's municipality filter dropped (separation.test.ts tells a municipality's folder apart). */
function municipalityFilters(root: string): TsMutant[] {
  const out: TsMutant[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.sql')) {
        const text = fs.readFileSync(path.join(root, rel), 'utf8');
        const m = /\(\{\{municipality\}\} = '' OR (?:\w+\.)?municipality = \{\{municipality\}\}\)|\{\{municipality\}\} = '' OR code = \{\{municipality\}\}|municipality = CASE WHEN \{\{municipality\}\} = '' THEN 'ALL' ELSE \{\{municipality\}\} END/.exec(text);
        if (!m) continue;
        const to = m[0].startsWith('municipality = CASE') ? "municipality = 'ALL'" : 'true';
        out.push({ name: `municipality filter dropped: ${rel}`, file: rel, from: m[0], to, tests: SEPARATION, ...(EQUIVALENT_FILTERS[rel] ? { equivalent: EQUIVALENT_FILTERS[rel] } : {}) });
      }
    }
  };
  walk('reports');
  return out;
}

const separation: TsMutant[] = [
  ['a municipality\'s report given the run\'s summary', 'src/report/build.ts', 'ownSummary(input.summary, municipality)', 'input.summary'],
  ['a municipality\'s report queries not told the municipality', 'src/report/build.ts', 'const params: Params = { table_cap: TABLE_CAP, municipality, ', "const params: Params = { table_cap: TABLE_CAP, municipality: '', "],
  ['a municipality\'s report not told its municipality (argument)', 'src/run/municipalities.ts', 'summary, municipality: code })', 'summary })'],
  ['a municipality\'s discrepancies.xlsx with every row', 'src/outputs/discrepancies-xlsx.ts', 'const f = await SheetFile.open(file, spec, counts.get(code) ?? 0);', 'const f = await SheetFile.open(file, spec, total);'],
  ['a municipality\'s discrepancies.csv with every row', 'src/outputs/write.ts', 'for (const [code, part] of by) files.get(code)?.write(part);', 'for (const [, part] of by) for (const f of files.values()) f.write(part);'],
  ['export --municipality', 'src/export/rows.ts', "    inList('municipality', f.municipalities),\n", ''],
  ['audit --municipality', 'src/commands/audit.ts', 'if (f.municipalities?.length) where.push', 'if (false) where.push'],
  ['claim_for_fee matched across municipalities', 'queries/intermediate/int_suggest_claim_for_fee.sql', 'JOIN windowed l ON l.municipality = r.municipality AND ', 'JOIN windowed l ON '],
  ['payment_for_transaction matched across municipalities', 'queries/intermediate/int_suggest_payment_for_transaction.sql', 'JOIN lefts l ON l.municipality = r.municipality AND ', 'JOIN lefts l ON '],
  ['a suggestion beside another municipality\'s discrepancy', 'queries/marts/discrepancy_hints.sql', 'LEFT JOIN worded w ON w.municipality = d.municipality AND ', 'LEFT JOIN worded w ON '],
  ['an overdue delivery beside another municipality\'s discrepancy', 'queries/marts/discrepancy_hints.sql', 'LEFT JOIN causes c ON c.municipality = d.municipality AND ', 'LEFT JOIN causes c ON '],
].map(([what, file, from, to]) => ({ name: `municipality filter dropped: ${what}`, file, from, to, tests: SEPARATION }));

const others: TsMutant[] = [
  { name: 'municipality filter dropped: a handling folder row of another municipality applied', file: 'src/handling/store.ts', from: ' AND (q.municipality IS NULL OR c.municipality = q.municipality))', to: ')', tests: FOLDER_IMPORT },
  // > for >= (and < for <=) at a date boundary
  { name: 'date boundary: a run of the same asOf is no look back (handling folder imported)', file: 'src/handling/folder.ts', from: 'WHERE as_of >= ${tsLiteral(asOf)}', to: 'WHERE as_of > ${tsLiteral(asOf)}', tests: HANDLING_COMMANDS },
  { name: 'date boundary: a follow-up due on its own day', file: 'src/handling/lifecycle.ts', from: '${h}.follow_up < ${asOfDateSql(asOf)}', to: '${h}.follow_up <= ${asOfDateSql(asOf)}', tests: [...HANDLING_BOOKS, ...MIDNIGHT] },
  { name: 'date boundary: a change in the same second is a conflict', file: 'src/handling/store.ts', from: "date_trunc('second', b.handled_at) > date_trunc('second'", to: "date_trunc('second', b.handled_at) >= date_trunc('second'", tests: IMPORT },
  { name: 'date boundary: export --from exclusive', file: 'src/export/rows.ts', from: '${localDate} >= DATE ${lit(f.from)}', to: '${localDate} > DATE ${lit(f.from)}', tests: MIDNIGHT },
  { name: 'date boundary: export --to exclusive', file: 'src/export/rows.ts', from: '${localDate} <= DATE ${lit(f.to)}', to: '${localDate} < DATE ${lit(f.to)}', tests: MIDNIGHT },
  { name: 'date boundary: audit --from exclusive', file: 'src/commands/audit.ts', from: '${localDate(col)} >= DATE ${lit(f.from)}', to: '${localDate(col)} > DATE ${lit(f.from)}', tests: MIDNIGHT },
  { name: 'date boundary: audit --to exclusive', file: 'src/commands/audit.ts', from: '${localDate(col)} <= DATE ${lit(f.to)}', to: '${localDate(col)} < DATE ${lit(f.to)}', tests: MIDNIGHT },
  // the UTC date taken for the Copenhagen date
  { name: 'UTC date: asOf\'s date', file: 'src/pipeline/context.ts', from: "SET VARIABLE as_of_date = cph_date(getvariable('as_of') - INTERVAL 1 MICROSECOND);", to: "SET VARIABLE as_of_date = CAST(getvariable('as_of') - INTERVAL 1 MICROSECOND AS DATE);", tests: MIDNIGHT },
  { name: 'UTC date: a follow-up date coming due', file: 'src/handling/lifecycle.ts', from: "`CAST(timezone('Europe/Copenhagen', timezone('UTC', ${tsLiteral(asOf)} - INTERVAL 1 MICROSECOND)) AS DATE)`", to: '`CAST(${tsLiteral(asOf)} - INTERVAL 1 MICROSECOND AS DATE)`', tests: MIDNIGHT },
  { name: 'UTC date: export --from/--to', file: 'src/export/rows.ts', from: "const localDate = `CAST(timezone('Europe/Copenhagen', timezone('UTC', first_seen)) AS DATE)`;", to: 'const localDate = `CAST(first_seen AS DATE)`;', tests: MIDNIGHT },
  { name: 'UTC date: audit --from/--to', file: 'src/commands/audit.ts', from: "`CAST(timezone('Europe/Copenhagen', timezone('UTC', ${col})) AS DATE)`", to: '`CAST(${col} AS DATE)`', tests: MIDNIGHT },
  { name: 'UTC date: the claim_for_fee window', file: 'queries/intermediate/int_suggest_claim_for_fee.sql', from: 'cph_local(u.created_at) AS local_at', to: 'u.created_at AS local_at', tests: MIDNIGHT },
  { name: 'UTC date: the payment_for_transaction window', file: 'queries/intermediate/int_suggest_payment_for_transaction.sql', from: 'cph_local(t.paid_at) AS local_at', to: 't.paid_at AS local_at', tests: MIDNIGHT },
  { name: 'UTC date: a run folder of schedule --out', file: 'src/commands/run-folders.ts', from: 'DateTime.fromJSDate(started, { zone: ZONE }).toISODate()!', to: 'started.toISOString().slice(0, 10)', tests: ['test/run-folders.test.ts'] },
  { name: 'UTC date: --banking-days-only\'s today', file: 'src/commands/schedule.ts', from: 'DateTime.fromJSDate(d, { zone: ZONE }).toISODate()!', to: 'd.toISOString().slice(0, 10)', tests: ['test/demo.test.ts', 'test/schedule.test.ts'] },
  { name: 'UTC date: discrepancies.xlsx\'s date-times', file: 'src/outputs/discrepancies-xlsx.ts', from: "DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE)", to: "DateTime.fromISO(iso, { zone: 'utc' })", tests: ['test/municipalities.test.ts', ...IMPORT] },
  { name: 'UTC date: an imported Behandlet read as UTC', file: 'src/handling/import.ts', from: 'DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: ZONE })', to: "DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: 'utc' })", tests: [...HANDLING_COMMANDS, ...IMPORT] },
  // an argument not passed on
  { name: 'argument not passed on: the handling folder to checkOut', file: 'src/run/batch.ts', from: 'database: config.databasePath, keepOut });', to: 'database: config.databasePath });', tests: HANDLING_COMMANDS },
  { name: 'argument not passed on: beforeStep to the batch', file: 'src/run/batch.ts', from: 'logFile, beforeStep: opts.beforeStep, handlingLimits', to: 'logFile, handlingLimits', tests: OUT },
  { name: 'argument not passed on: the drop folder\'s municipality', file: 'src/handling/folder.ts', from: 'municipality: o.code, now: o.now', to: 'now: o.now', tests: FOLDER_IMPORT },
  { name: 'argument not passed on: the configured municipalities to the drop folder', file: 'src/run/batch.ts', from: 'importHandlingFolder(db, config.handlingPath!, codes,', to: 'importHandlingFolder(db, config.handlingPath!, [],', tests: FOLDER_IMPORT },
  { name: 'argument not passed on: import --force', file: 'src/commands/import.ts', from: 'name, force: v.force });', to: 'name });', tests: ['test/handling/import-command.test.ts'] },
  { name: 'argument not passed on: export --unmask', file: 'src/commands/export.ts', from: 'maskRows(rows, v.unmask)', to: 'maskRows(rows, false)', tests: ['test/hostile/outputs.test.ts'] },
  { name: 'argument not passed on: run --as-of', file: 'src/commands/run.ts', from: "    asOf: v['as-of'],\n", to: '', tests: ['test/cli.test.ts', ...MASKING] },
  // a rename replaced by a delete
  { name: 'rename replaced by a delete: the old outputs aside', file: 'src/outputs/folder.ts', from: '  fs.renameSync(out, old);\n', to: '  fs.rmSync(out, { recursive: true, force: true });\n', tests: OUT },
  { name: 'rename replaced by a delete: the old outputs back after a failed swap', file: 'src/outputs/folder.ts', from: '    fs.renameSync(old, out);\n    throw e;', to: '    fs.rmSync(old, { recursive: true, force: true });\n    throw e;', tests: OUT },
  { name: 'rename replaced by a delete: the old outputs back after a killed run', file: 'src/outputs/folder.ts', from: 'if (aside.length > 0) fs.renameSync(path.join(dir, aside[aside.length - 1]), folder.out);', to: 'if (aside.length > 0) fs.rmSync(path.join(dir, aside[aside.length - 1]), { recursive: true, force: true });', tests: OUT },
  { name: 'rename replaced by a delete: a stale lock moved aside', file: 'src/lock.ts', from: '      fs.renameSync(file, aside);', to: '      fs.rmSync(file);', tests: LOCK },
  { name: 'rename replaced by a delete: an export moved into place', file: 'src/export/registry.ts', from: '    fs.renameSync(tmp, target);', to: '    fs.rmSync(tmp, { force: true });', tests: ['test/export.test.ts'] },
  { name: 'rename replaced by a delete: schedule\'s latest link', file: 'src/commands/run-folders.ts', from: '  fs.renameSync(tmp, link);', to: '  fs.rmSync(tmp, { force: true });', tests: ['test/run-folders.test.ts', 'test/schedule.test.ts'] },
  // the handling's, the lock's and the output folder's own logic
  { name: 'handling: an assignee alone is no handling (not closed on resolve)', file: 'src/handling/lifecycle.ts', from: "(${h}.status <> 'open' OR ${h}.assignee IS NOT NULL OR", to: "(${h}.status <> 'open' OR", tests: HANDLING_BOOKS },
  { name: 'handling: a note alone is no handling (not closed on resolve)', file: 'src/handling/lifecycle.ts', from: ' OR ${h}.note IS NOT NULL OR', to: ' OR', tests: HANDLING_BOOKS },
  { name: 'handling: the worklist\'s groups without the due awaiting ones', file: 'reports/worklist/groups.sql', from: "(handling_status IN ('open', 'in_progress') OR handling_due)", to: "(handling_status IN ('open', 'in_progress'))", tests: HANDLING_BOOKS },
  { name: 'handling: the worklist\'s rows without the due awaiting ones', file: 'reports/worklist/rows.sql', from: "(handling_status IN ('open', 'in_progress') OR handling_due)", to: "(handling_status IN ('open', 'in_progress'))", tests: HANDLING_BOOKS },
  { name: 'handling: the worklist\'s group money with signs', file: 'reports/worklist/groups.sql', from: 'sum(abs(amount))::DECIMAL(38,2)', to: 'sum(amount)::DECIMAL(38,2)', tests: HANDLING_BOOKS },
  { name: 'handling: a neutralised @ read back with its \'', file: 'src/handling/import.ts', from: "/^''*[=+\\-@\\t\\r]/", to: "/^''*[=+\\-\\t\\r]/", tests: HANDLING_COMMANDS },
  { name: 'handling: a neutralised tab read back with its \'', file: 'src/handling/import.ts', from: "/^''*[=+\\-@\\t\\r]/", to: "/^''*[=+\\-@\\r]/", tests: HANDLING_COMMANDS },
  { name: 'lock: a live pid with a recorded start taken for stale', file: 'src/lock.ts', from: 'return now !== undefined && now !== info.procStart;', to: 'return true;', tests: LOCK },
  { name: 'lock: a reused pid taken for the lock\'s process', file: 'src/lock.ts', from: 'return now !== undefined && now !== info.procStart;', to: 'return false;', tests: LOCK },
  { name: 'lock: release removes a lock another run took over', file: 'src/lock.ts', from: 'now && now.pid === mine.pid && now.runId === mine.runId && now.startedAt === mine.startedAt', to: 'now && now.pid === mine.pid', tests: LOCK },
  { name: 'lock: the takeover not said in the summary', file: 'src/run/batch.ts', from: '    warnings.push(lock.warning);\n', to: '', tests: LOCK },
  { name: 'handling: a due awaiting case also under Behandlede', file: 'reports/worklist/handled.sql', from: "(handling_status = 'awaiting' AND NOT handling_due)", to: "handling_status = 'awaiting'", tests: HANDLING_BOOKS },
  { name: 'handling: note forgets what is not given', file: 'src/commands/note.ts', from: '(given === undefined ? (now ?? null) : given)', to: '(given ?? null)', tests: ['test/handling/commands.test.ts'] },
  { name: 'handling: a changed note alone counted as no change', file: 'src/handling/store.ts', from: "    AND ${lf('h.note')} IS NOT DISTINCT FROM q.note AND", to: '    AND', tests: [...HANDLING_COMMANDS, ...IMPORT] },
  { name: 'handling: Excel\'s ~$ lock files imported', file: 'src/handling/folder.ts', from: "!name.startsWith('~$') && ", to: '', tests: FOLDER_IMPORT },
  { name: 'handling: a look back imports the handling folder', file: 'src/run/batch.ts', from: 'if (await isLookBack(db, asOf)) return lookBackHandling(path.basename(config.handlingPath));', to: '', tests: HANDLING_COMMANDS },
  { name: 'lock: a failed run keeps its lock', file: 'src/run/batch.ts', from: '    db?.close();\n    lock.release();', to: '    db?.close();', tests: OUT },
  { name: 'output folder: the old outputs left beside --out after the swap', file: 'src/outputs/folder.ts', from: '  try {\n    removeOutputs(old);\n    return null;', to: '  try {\n    return null;', tests: OUT },
  { name: 'output folder: a failed swap leaves --out missing', file: 'src/outputs/folder.ts', from: '  try {\n    fs.renameSync(work, out);\n  } catch (e) {\n    fs.renameSync(old, out);\n    throw e;\n  }', to: '  fs.renameSync(work, out);', tests: OUT },
];

export function newerMutants(root: string): TsMutant[] {
  return [...masking, ...municipalityFilters(root), ...separation, ...others];
}
