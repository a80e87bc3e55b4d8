// `afstem serve --config F [--host 127.0.0.1] [--port 8080]`: the served worklist (FORMATS.md §9, src/serve/). Runs
// until SIGINT or SIGTERM, then stops taking requests, finishes those in flight and exits 0. Exit codes: 2 bad
// arguments or configuration or a port that cannot be listened on, 1 anything unexpected.
import { startServer } from '../serve/server.ts';
import { CommandError, parseOptions, requireConfig, runCommand, usageError } from './common.ts';
import { SERVE_HELP as HELP, SERVE_USAGE } from './help.ts';


export const SERVE_OPTIONS = {
  config: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
} as const;

export async function serveCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, SERVE_OPTIONS, SERVE_USAGE, HELP);
    const config = requireConfig(v.config, SERVE_USAGE);
    const port = v.port === undefined ? 8080 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${v.port}: expected a port number 0-65535`, SERVE_USAGE);
    const host = v.host ?? '127.0.0.1';
    let server;
    try {
      server = await startServer(config, { host, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new CommandError(`cannot listen on ${host}:${port}: ${code}`, 2);
      }
      throw e;
    }
    process.stderr.write(`afstem serve: the worklist is served on ${server.url} (database ${config.databasePath})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.stderr.write('afstem serve: stopping\n');
    await server.close();
    return 0;
  });
}
