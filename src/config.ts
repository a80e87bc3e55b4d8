// The configuration file of FORMATS.md §6, validated with zod; errors name the key and what is wrong.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { z } from 'zod';
import { globProblem } from './glob.ts';
import { DEBTOR_SYSTEMS, EXPORT_KINDS, isExportKind, PAYMENT_SOLUTIONS, type DebtorSystem, type PaymentSolution } from './vocabulary.ts';

/** The payment solution a debtor system offers when the configuration names none (FORMATS.md §6). */
const DEFAULT_PAYMENT_SOLUTION: Record<DebtorSystem, PaymentSolution> = {
  kmd_opus: 'kmd_mit_betalingsoverblik',
  prisme_2015: 'prisme_min_betalingsoversigt',
  prisme_2009: 'none',
  eg_os_indsigt: 'none',
};

/** The kinds watched for stopped deliveries when `deliveries.kinds` names none (FORMATS.md §6, RULES.md §7). */
export const DEFAULT_WATCHED_KINDS = ['fbs_fees', 'debitor_claims', 'debitor_payments', 'debitor_coverages', 'psp_invoices', 'psp_transactions'] as const;

const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: 'expected a real calendar date YYYY-MM-DD',
  });

const slaSchema = z.union(
  [
    z.strictObject({ hours: z.number().positive() }),
    z.strictObject({ businessDays: z.number().int().positive() }),
  ],
  { error: 'expected {"hours": N} or {"businessDays": N} with N > 0' },
);

const dialectSchema = z.strictObject({
  encoding: z.enum(['utf-8', 'windows-1252']).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
  decimal: z.enum(['.', ',']).optional(),
  dates: z.enum(['iso', 'dmy']).optional(),
});
export type Dialect = z.infer<typeof dialectSchema>;

const municipalitySchema = z.strictObject({
  code: z.string().regex(/^\d{3}$/, { error: 'expected a three-digit municipality code such as "101"' }),
  name: z.string().min(1),
  debtorSystem: z.enum(DEBTOR_SYSTEMS),
  paymentSolution: z.enum(PAYMENT_SOLUTIONS).optional(),
  wave: z.number().int().positive(),
  goLive: isoDate,
  borgerblikket: z.boolean().default(false),
});

/** The roles of the served worklist (FORMATS.md §9). */
export const ROLES = ['clerk', 'auditor', 'lead', 'operator'] as const;
export type Role = (typeof ROLES)[number];

const muniCode = z.string().regex(/^\d{3}$/, { error: 'expected a three-digit municipality code such as "101"' });

/** `serve` (optional): the served worklist's sign-in through a single sign-on proxy's trusted header (FORMATS.md §9). */
const serveSchema = z.strictObject({
  auth: z
    .strictObject({
      header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'expected a header name such as "X-Remote-User"' }).optional(),
      trustedProxies: z
        .array(z.string().refine((a) => net.isIP(a) !== 0, { error: 'expected an IP address such as "127.0.0.1"' }))
        .default([]),
      users: z
        .record(
          z.string().min(1).max(200),
          z.strictObject({
            municipalities: z.array(muniCode).default([]),
            role: z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }),
          }),
        )
        .default({}),
    })
    .optional(),
});

const configSchema = z.strictObject({
  inbox: z.string().min(1),
  database: z.string().min(1).default('afstem.duckdb'),
  municipalities: z
    .array(municipalitySchema)
    .min(1)
    .superRefine((ms, ctx) => {
      const seen = new Set<string>();
      ms.forEach((m, i) => {
        if (seen.has(m.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate municipality code ${m.code}` });
        seen.add(m.code);
      });
    }),
  sla: z
    .strictObject({
      fee_to_claim: slaSchema.default({ hours: 1 }),
      claim_to_payable: slaSchema.default({ businessDays: 1 }),
      psp_to_debitor: slaSchema.default({ businessDays: 1 }),
      debitor_to_fbs: slaSchema.default({ businessDays: 2 }),
    })
    .default({
      fee_to_claim: { hours: 1 },
      claim_to_payable: { businessDays: 1 },
      psp_to_debitor: { businessDays: 1 },
      debitor_to_fbs: { businessDays: 2 },
    }),
  ignore: z
    .array(
      z.string({ error: 'expected a glob pattern such as "**/*.txt"' }).superRefine((p, ctx) => {
        const problem = globProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: `${problem}: "${p}"` });
      }),
      { error: 'expected a list of glob patterns such as ["**/*.txt", "999/**"]' },
    )
    .default([]),
  handling: z.strictObject({ folder: z.string().min(1, { error: 'expected a folder path' }) }).optional(),
  deliveries: z
    .strictObject({
      maxGapBankingDays: z
        .number({ error: 'expected a whole number of banking days (0 or more)' })
        .int({ error: 'expected a whole number of banking days (0 or more)' })
        .min(0, { error: 'expected a whole number of banking days (0 or more)' })
        .default(2),
      kinds: z
        .array(
          z.string({ error: 'expected a kind such as "debitor_payments"' }).refine((k) => isExportKind(k), {
            error: (i) => `unknown kind ${JSON.stringify(i.input)}: expected one of ${EXPORT_KINDS.join(', ')}`,
          }),
          { error: 'expected a list of kinds such as ["debitor_payments"]' },
        )
        .default([...DEFAULT_WATCHED_KINDS]),
    })
    .default({ maxGapBankingDays: 2, kinds: [...DEFAULT_WATCHED_KINDS] }),
  serve: serveSchema.optional(),
  dialects: z
    .record(z.string(), dialectSchema)
    .default({})
    .superRefine((d, ctx) => {
      for (const key of Object.keys(d)) {
        const m = /^(?:(\d{3})\/)?([a-z_]+)$/.exec(key);
        if (!m || !isExportKind(m[2])) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `expected a kind ("debitor_payments") or a municipality and kind ("561/debitor_payments")`,
          });
        }
      }
    }),
});

export type RawConfig = z.infer<typeof configSchema>;
export interface Municipality extends Omit<z.infer<typeof municipalitySchema>, 'paymentSolution'> {
  paymentSolution: PaymentSolution;
}
export interface Config extends Omit<RawConfig, 'municipalities'> {
  municipalities: Municipality[];
  /** Absolute paths, resolved against the configuration file's folder. */
  inboxPath: string;
  databasePath: string;
  /** The handling folder (FORMATS.md §8), when the configuration names one. */
  handlingPath: string | null;
  configPath: string;
}

export class ConfigError extends Error {}

export function parseConfig(json: unknown, configPath: string): Config {
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`configuration ${configPath} is not valid:\n  ${lines.join('\n  ')}`);
  }
  const c = result.data;
  const codes = new Set(c.municipalities.map((m) => m.code));
  const users = Object.entries(c.serve?.auth?.users ?? {});
  const unknown = users.flatMap(([name, u]) => u.municipalities.filter((m) => !codes.has(m)).map((m) => `serve.auth.users.${name}.municipalities: ${m} is not a configured municipality`));
  const none = users.filter(([, u]) => u.role !== 'operator' && u.municipalities.length === 0).map(([name]) => `serve.auth.users.${name}.municipalities: give at least one municipality (only an operator sees all)`);
  if (unknown.length || none.length) throw new ConfigError(`configuration ${configPath} is not valid:\n  ${[...unknown, ...none].join('\n  ')}`);
  if (users.length && !c.serve?.auth?.header) throw new ConfigError(`configuration ${configPath} is not valid:\n  serve.auth.header: name the header the single sign-on proxy sets, such as "X-Remote-User"`);
  const dir = path.dirname(path.resolve(configPath));
  return {
    ...c,
    municipalities: c.municipalities.map((m) => ({
      ...m,
      paymentSolution: m.paymentSolution ?? DEFAULT_PAYMENT_SOLUTION[m.debtorSystem],
    })),
    inboxPath: path.resolve(dir, c.inbox),
    databasePath: path.resolve(dir, c.database),
    handlingPath: c.handling ? path.resolve(dir, c.handling.folder) : null,
    configPath: path.resolve(configPath),
  };
}

export function loadConfig(configPath: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read configuration ${configPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`configuration ${configPath} is not valid JSON: ${(e as Error).message}`);
  }
  const config = parseConfig(json, configPath);
  checkPathsOutsideInbox(config);
  return config;
}

/**
 * A path with symbolic links resolved as far as it exists: the longest existing prefix through realpath, the rest
 * appended (a database file not created yet still lies where its folder really is).
 */
function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * FORMATS.md §6: `p` (the database file, `--out`, the handling folder) must lie outside the inbox; symbolic links
 * are resolved before comparing. `what` names the key or option in the message. Throws a ConfigError (exit 2).
 */
export function assertOutsideInbox(config: Pick<Config, 'inboxPath'>, p: string, what: string): void {
  const inbox = realish(config.inboxPath);
  const target = realish(p);
  if (isInside(target, inbox)) {
    throw new ConfigError(
      `${what}: ${path.resolve(p)} lies inside the inbox ${config.inboxPath}; it must lie outside it (the job reads every entry of the inbox as a delivery)`,
    );
  }
}

/** The database file and the handling folder lie outside the inbox (and `--out`, when given). */
export function checkPathsOutsideInbox(config: Config, outDir?: string): void {
  assertOutsideInbox(config, config.databasePath, 'database');
  if (config.handlingPath) assertOutsideInbox(config, config.handlingPath, 'handling.folder');
  if (outDir !== undefined) assertOutsideInbox(config, outDir, '--out');
}

/** FORMATS.md §6: the inbox must be a folder the job can read. Throws a ConfigError (exit 2). */
export function checkInbox(config: Pick<Config, 'inboxPath'>): void {
  const inbox = config.inboxPath;
  let st: fs.Stats;
  try {
    st = fs.statSync(inbox);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `inbox: the folder ${inbox} does not exist` : `inbox: ${inbox} cannot be read (${code ?? (e as Error).message})`,
    );
  }
  if (!st.isDirectory()) throw new ConfigError(`inbox: ${inbox} is not a folder`);
  try {
    fs.readdirSync(inbox);
  } catch (e) {
    throw new ConfigError(`inbox: the folder ${inbox} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function formatPath(p: PropertyKey[]): string {
  if (p.length === 0) return '(top level)';
  let s = '';
  for (const part of p) {
    if (typeof part === 'number') s += `[${part}]`;
    else s += s ? `.${String(part)}` : String(part);
  }
  return s;
}

/** The pinned dialect for one file: the municipality's entry, when there is one, wins whole over the kind's. */
export function pinnedDialect(config: Config, municipality: string, kind: string): Dialect {
  return config.dialects[`${municipality}/${kind}`] ?? config.dialects[kind] ?? {};
}
