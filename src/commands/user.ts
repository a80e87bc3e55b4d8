// `afstem user add|list|remove|password`: the built-in accounts of the served worklist (FORMATS.md §9, table
// serve_users). The password is read from standard input (its first line), or asked for twice on a terminal without
// being shown; it is stored only as a scrypt hash and never printed or logged. Writing takes the run lock like
// `afstem note` (refused while a run is in progress). Exit codes: 0 done, 2 bad arguments (an unknown or taken user
// name, a municipality not configured, a short password), no database or a run in progress, 1 anything unexpected.
import fs from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { acquireLock } from '../lock.ts';
import { newRunId } from '../log.ts';
import { passwordProblem } from '../serve/password.ts';
import { addUser, readUsers, removeUser, ROLES, ROLE_DA, setPassword, userName, type Role } from '../serve/users.ts';
import { CommandError, listOption, openForReading, openForWriting, parseOptions, requireConfig, runCommand, usageError } from './common.ts';
import { USER_HELP as HELP, USER_USAGE } from './help.ts';


const OPTIONS = {
  config: { type: 'string' },
  user: { type: 'string' },
  municipality: { type: 'string', multiple: true },
  role: { type: 'string' },
} as const;

/** The password: asked twice on a terminal (not echoed), else the first line of standard input. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const ask = async (prompt: string) => {
      let muted = false;
      const out = new Writable({ write: (chunk, _e, cb) => { if (!muted) process.stderr.write(chunk); cb(); } });
      const rl = readline.createInterface({ input: process.stdin, output: out, terminal: true });
      const answer = new Promise<string>((resolve) => rl.question(prompt, resolve));
      muted = true;
      const a = await answer;
      rl.close();
      process.stderr.write('\n');
      return a;
    };
    const first = await ask('Adgangskode: ');
    if ((await ask('Gentag adgangskoden: ')) !== first) throw new CommandError('the two passwords differ; nothing changed', 2);
    return first;
  }
  const text = fs.readFileSync(0, 'utf8');
  return text.split(/\r?\n/)[0];
}

async function writing<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  let lock;
  try {
    lock = await acquireLock(config.databasePath, `user-${newRunId()}`, { waitForBriefMs: 5_000 });
  } catch (e) {
    throw new CommandError(`the accounts cannot be changed now: ${(e as Error).message}`, 2);
  }
  try {
    if (!fs.existsSync(config.databasePath)) throw new CommandError(`no database at ${config.databasePath} yet: run the batch first (afstem run --config …)`, 2);
    const db = await openForWriting(config);
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

export async function userCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const [action, ...rest] = argv;
    if (action === '--help' || action === '-h' || action === undefined) {
      process.stdout.write(`${HELP}\n`);
      return action === undefined ? 2 : 0;
    }
    if (!['add', 'list', 'remove', 'password'].includes(action)) throw usageError(`unknown action "${action}": add, list, remove or password`, USER_USAGE);
    const v = parseOptions(rest, OPTIONS, USER_USAGE, HELP);
    const config = requireConfig(v.config, USER_USAGE);
    if (action === 'list') {
      const db = await openForReading(config);
      try {
        const users = await readUsers(db);
        if (!users.length) process.stdout.write('no users\n');
        for (const u of users) {
          const where = u.municipalities.length ? u.municipalities.join(',') : 'all municipalities';
          process.stdout.write(`${u.name}\t${u.role} (${ROLE_DA[u.role]})\t${where}\tchanged ${u.changedAt}\n`);
        }
      } finally {
        db.close();
      }
      return 0;
    }
    const name = userName(v.user);
    if (!name) throw usageError('--user NAME is required (1-200 characters, no control characters)', USER_USAGE);
    if (action === 'remove') {
      if (!(await writing(config, (db) => removeUser(db, name)))) throw new CommandError(`no user ${name}`, 2);
      process.stdout.write(`user ${name} removed\n`);
      return 0;
    }
    if (action === 'password') {
      const password = await readPassword();
      const problem = passwordProblem(password);
      if (problem) throw new CommandError(`${problem}; nothing changed`, 2);
      if (!(await writing(config, (db) => setPassword(db, name, password)))) throw new CommandError(`no user ${name}`, 2);
      process.stdout.write(`password of ${name} changed\n`);
      return 0;
    }
    const role = v.role as Role | undefined;
    if (!role || !(ROLES as readonly string[]).includes(role)) throw usageError(`--role: expected one of ${ROLES.join(', ')}`, USER_USAGE);
    const codes = [...new Set(listOption(v.municipality))].sort();
    const known = new Set(config.municipalities.map((m) => m.code));
    for (const c of codes) if (!known.has(c)) throw usageError(`--municipality ${c}: not a municipality of the configuration`, USER_USAGE);
    if (!codes.length && role !== 'operator') throw usageError('--municipality: give one or more codes (only an operator sees all)', USER_USAGE);
    const password = await readPassword();
    const problem = passwordProblem(password);
    if (problem) throw new CommandError(`${problem}; nothing changed`, 2);
    const stored = role === 'operator' ? [] : codes;
    if (!(await writing(config, (db) => addUser(db, { name, role, municipalities: stored, password })))) throw new CommandError(`a user ${name} exists already`, 2);
    process.stdout.write(`user ${name} added: ${role} (${ROLE_DA[role]}) of ${stored.length ? stored.join(',') : 'all municipalities'}\n`);
    return 0;
  });
}
