// `afstem user add|list|remove|password` as a person runs it (node bin/afstem.js, the password on standard input):
// the password is stored only as a scrypt hash and never printed; a short password, an unknown municipality, a
// name taken and an unknown user are refused with exit code 2; an account added works for signing in, a changed
// password replaces the old, and a removed account signs in no more. Checked against the code before it: the
// command did not exist ("unknown command", exit 2 for every call, so the exit-0 expectations fail).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/serve/password.ts';
import { Client, makeWorld, query, serve, type World } from './fixture.ts';

const BIN = path.resolve('bin/afstem.js');
let world: World;

beforeAll(async () => {
  world = await makeWorld();
});
afterAll(() => world?.cleanup());

function afstem(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'user', ...args, '--config', world.configPath], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('afstem user', () => {
  it('adds an account with its password hashed, lists it without the hash, and refuses what is wrong with exit code 2', async () => {
    const added = afstem('et-godt-kodeord-42\n', 'add', '--user', 'karen', '--municipality', '147', '--role', 'auditor');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toBe('user karen added: auditor (revisor) of 147\n');
    const [row] = await query<{ password_hash: string; role: string; municipalities: string }>(world.database,
      `SELECT password_hash, role, municipalities FROM serve_users WHERE name = 'karen'`);
    expect(row.role).toBe('auditor');
    expect(row.municipalities).toBe('147');
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row.password_hash).not.toContain('et-godt-kodeord-42');
    expect(await verifyPassword('et-godt-kodeord-42', row.password_hash)).toBe(true);
    expect(await verifyPassword('et-godt-kodeord-43', row.password_hash)).toBe(false);

    const list = afstem('', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^karen\tauditor \(revisor\)\t147\tchanged \d{4}-\d\d-\d\dT/m);
    expect(list.out).toMatch(/^ole\toperator \(drift\)\tall municipalities\t/m);
    expect(list.out).not.toContain('scrypt');

    expect(afstem('kort\n', 'add', '--user', 'x', '--municipality', '101', '--role', 'clerk')).toMatchObject({ code: 2, err: expect.stringContaining('mindst 12 tegn') });
    expect(afstem('et-godt-kodeord-42\n', 'add', '--user', 'x', '--municipality', '999', '--role', 'clerk')).toMatchObject({ code: 2, err: expect.stringContaining('999') });
    expect(afstem('et-godt-kodeord-42\n', 'add', '--user', 'x', '--municipality', '101', '--role', 'chef')).toMatchObject({ code: 2 });
    expect(afstem('et-godt-kodeord-42\n', 'add', '--user', 'x', '--role', 'clerk')).toMatchObject({ code: 2 });
    expect(afstem('et-godt-kodeord-42\n', 'add', '--user', 'karen', '--municipality', '101', '--role', 'clerk')).toMatchObject({ code: 2, err: expect.stringContaining('exists already') });
    expect(afstem('', 'remove', '--user', 'ingen')).toMatchObject({ code: 2, err: expect.stringContaining('no user ingen') });
    for (const r of [added, list]) expect(r.out + r.err).not.toContain('et-godt-kodeord-42');
  });

  it('a changed password replaces the old one, and a removed account signs in no more', async () => {
    expect(afstem('forste-kodeord-123\n', 'add', '--user', 'mads', '--municipality', '101', '--role', 'clerk').code).toBe(0);
    expect(afstem('andet-kodeord-456\n', 'password', '--user', 'mads')).toMatchObject({ code: 0, out: 'password of mads changed\n' });
    const server = await serve(world);
    try {
      expect((await new Client(server.url).signIn('mads', 'forste-kodeord-123')).status).toBe(401);
      expect((await new Client(server.url).signIn('mads', 'andet-kodeord-456')).status).toBe(303);
    } finally {
      await server.close();
    }
    expect(afstem('', 'remove', '--user', 'mads')).toMatchObject({ code: 0, out: 'user mads removed\n' });
    const after = await serve(world);
    try {
      expect((await new Client(after.url).signIn('mads', 'andet-kodeord-456')).status).toBe(401);
    } finally {
      await after.close();
    }
  });
});
