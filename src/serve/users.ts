// The built-in accounts of the served worklist (FORMATS.md §9; table serve_users, src/handling/serve-tables.ts) and
// the users the server knows: built-in ones from the database, single sign-on ones from the configuration
// (`serve.auth.users`). A user has one role and one or more municipalities; an operator sees every municipality.
import { lit, tsLiteral, type Db } from '../db.ts';
import type { Config, Role } from '../config.ts';
import { ROLES } from '../config.ts';
import { ensureServeTables } from '../handling/serve-tables.ts';
import { hashPassword } from './password.ts';

export { ROLES, type Role };

/** The roles in Danish. */
export const ROLE_DA: Record<Role, string> = { clerk: 'sagsbehandler', auditor: 'revisor', lead: 'projektleder', operator: 'drift' };

export interface User {
  name: string;
  role: Role;
  /** The codes the user may see (every configured one for an operator), sorted. */
  municipalities: string[];
}

export interface StoredUser {
  name: string;
  role: Role;
  /** As stored: the codes, or [] for every municipality (an operator). */
  municipalities: string[];
  passwordHash: string;
  createdAt: string;
  changedAt: string;
}

/** What a user may do (FORMATS.md §9). */
export const MAY = {
  /** The worklist, search and case pages. */
  readCases: (u: User) => u.role !== 'lead',
  /** Record handling on a case page. */
  handle: (u: User) => u.role === 'clerk' || u.role === 'operator',
  /** discrepancies.xlsx of the user's municipalities. */
  download: (u: User) => u.role !== 'lead',
  /** Every municipality's overview and the runs. */
  operate: (u: User) => u.role === 'operator',
};

/** A user name as given: trimmed, 1–200 characters, no control characters; undefined when it is not one. */
export function userName(s: string | undefined): string | undefined {
  const t = (s ?? '').trim();
  // eslint-disable-next-line no-control-regex
  return t.length >= 1 && t.length <= 200 && !/[\u0000-\u001f\u007f]/.test(t) ? t : undefined;
}

/** The municipalities a user sees: an operator every configured one, anyone else those given that are configured. */
export function visibleMunicipalities(config: Config, role: Role, given: string[]): string[] {
  const codes = config.municipalities.map((m) => m.code);
  return (role === 'operator' ? codes : given.filter((c) => codes.includes(c))).sort();
}

/** The user a single sign-on proxy names in the trusted header, from the configuration; undefined when unknown. */
export function headerUser(config: Config, name: string): User | undefined {
  const u = config.serve?.auth?.users?.[name];
  return u ? { name, role: u.role, municipalities: visibleMunicipalities(config, u.role, u.municipalities) } : undefined;
}

/** The built-in accounts, by name (none in a database without the table). */
export async function readUsers(db: Db): Promise<StoredUser[]> {
  const has = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'serve_users'`);
  if (Number(has) === 0) return [];
  const rows = await db.all<{ name: string; role: Role; municipalities: string; password_hash: string; created_at: string; changed_at: string }>(
    `SELECT name, role, municipalities, password_hash, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
            strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at FROM serve_users ORDER BY name`);
  return rows.map((r) => ({
    name: r.name,
    role: r.role,
    municipalities: r.municipalities === '' ? [] : r.municipalities.split(','),
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    changedAt: r.changed_at,
  }));
}

/** Adds a user (the password hashed here); false when the name is taken. */
export async function addUser(db: Db, u: { name: string; role: Role; municipalities: string[]; password: string }): Promise<boolean> {
  await ensureServeTables(db);
  const taken = Number(await db.value(`SELECT count(*) FROM serve_users WHERE name = ${lit(u.name)}`)) > 0;
  if (taken) return false;
  const hash = await hashPassword(u.password);
  const now = tsLiteral(new Date());
  await db.run(`INSERT INTO serve_users VALUES (${lit(u.name)}, ${lit(hash)}, ${lit(u.role)}, ${lit(u.municipalities.join(','))}, ${now}, ${now})`);
  return true;
}

/** Sets a user's password; false when there is no such user. */
export async function setPassword(db: Db, name: string, password: string): Promise<boolean> {
  await ensureServeTables(db);
  if (Number(await db.value(`SELECT count(*) FROM serve_users WHERE name = ${lit(name)}`)) === 0) return false;
  const hash = await hashPassword(password);
  await db.run(`UPDATE serve_users SET password_hash = ${lit(hash)}, changed_at = ${tsLiteral(new Date())} WHERE name = ${lit(name)}`);
  return true;
}

/** Removes a user; false when there is no such user. */
export async function removeUser(db: Db, name: string): Promise<boolean> {
  await ensureServeTables(db);
  if (Number(await db.value(`SELECT count(*) FROM serve_users WHERE name = ${lit(name)}`)) === 0) return false;
  await db.run(`DELETE FROM serve_users WHERE name = ${lit(name)}`);
  return true;
}
