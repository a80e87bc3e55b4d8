// The configuration file of FORMATS.md §6, validated with zod; errors name the key and what is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KIND_BY_NAME } from './ingest/kinds.ts';

export const DEBTOR_SYSTEMS = ['kmd_opus', 'prisme_2009', 'prisme_2015', 'eg_os_indsigt'] as const;
export const PAYMENT_SOLUTIONS = ['kmd_mit_betalingsoverblik', 'prisme_min_betalingsoversigt', 'none'] as const;
export const STAGES = ['fee_to_claim', 'claim_to_payable', 'psp_to_debitor', 'debitor_to_fbs'] as const;
export type Stage = (typeof STAGES)[number];

/** The payment solution a debtor system offers when the configuration names none (FORMATS.md §6). */
const DEFAULT_PAYMENT_SOLUTION: Record<(typeof DEBTOR_SYSTEMS)[number], (typeof PAYMENT_SOLUTIONS)[number]> = {
  kmd_opus: 'kmd_mit_betalingsoverblik',
  prisme_2015: 'prisme_min_betalingsoversigt',
  prisme_2009: 'none',
  eg_os_indsigt: 'none',
};

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
  dialects: z
    .record(z.string(), dialectSchema)
    .default({})
    .superRefine((d, ctx) => {
      for (const key of Object.keys(d)) {
        const m = /^(?:(\d{3})\/)?([a-z_]+)$/.exec(key);
        if (!m || !KIND_BY_NAME.has(m[2])) {
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
  paymentSolution: (typeof PAYMENT_SOLUTIONS)[number];
}
export interface Config extends Omit<RawConfig, 'municipalities'> {
  municipalities: Municipality[];
  /** Absolute paths, resolved against the configuration file's folder. */
  inboxPath: string;
  databasePath: string;
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
  const dir = path.dirname(path.resolve(configPath));
  return {
    ...c,
    municipalities: c.municipalities.map((m) => ({
      ...m,
      paymentSolution: m.paymentSolution ?? DEFAULT_PAYMENT_SOLUTION[m.debtorSystem],
    })),
    inboxPath: path.resolve(dir, c.inbox),
    databasePath: path.resolve(dir, c.database),
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
  return parseConfig(json, configPath);
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
