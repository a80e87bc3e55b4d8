// cli.ts's last line of defence (FORMATS.md §7 exit codes): an error that no command's own handling (runCommand)
// turned into an exit code ends the process with 1 for "anything unexpected", its message CPR-masked; a bad
// configuration that gets there is still 2 and an error carrying its exit code keeps it. The command modules are
// replaced by ones that throw past any handling of their own, so nothing else of them runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import { ConfigError } from '../src/config.ts';
import { AfstemError } from '../src/errors.ts';

vi.mock('../src/commands/history.ts', () => ({
  historyCommand: async () => {
    throw new Error("ENOENT: no such file or directory, open 'inbox/0102031234/notes.txt'");
  },
}));
vi.mock('../src/commands/waves.ts', () => ({
  wavesCommand: async () => {
    throw new ConfigError('municipalities[0].goLive: expected a date YYYY-MM-DD');
  },
}));
vi.mock('../src/commands/audit.ts', () => ({
  auditCommand: async () => {
    throw new AfstemError('a batch is already running', 2);
  },
}));
vi.mock('../src/commands/note.ts', () => ({
  noteCommand: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'caseRef')");
  },
}));

afterEach(() => vi.restoreAllMocks());

async function call(...argv: string[]) {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, err };
}

describe('an error that reaches cli.ts', () => {
  it('a file error thrown past the command exits 1 (unexpected), not 2, with the CPR number masked', async () => {
    const r = await call('history', '--config', 'afstem.config.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe("afstem: ENOENT: no such file or directory, open 'inbox/010203-XXXX/notes.txt'\n");
  });

  it('a programming error thrown past the command exits 1 too', async () => {
    const r = await call('note', '--config', 'afstem.config.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe("afstem: Cannot read properties of undefined (reading 'caseRef')\n");
  });

  it('the near misses: a bad configuration is 2, an error with its own exit code keeps it', async () => {
    expect((await call('waves', '--config', 'afstem.config.json')).code).toBe(2);
    expect((await call('audit', '--config', 'afstem.config.json')).code).toBe(2);
  });
});
