// A module hook for child processes of the tests (`node --import ./test/helpers/forbid-modules.mjs …`): resolving a
// module whose specifier or URL contains one of the comma-separated strings of AFSTEM_FORBID_MODULES throws, so a
// command that loads it fails. Used to show that `afstem <command> --help` never loads DuckDB or the command itself.
import { register } from 'node:module';

const hook = `
const forbidden = ${JSON.stringify((process.env.AFSTEM_FORBID_MODULES ?? '').split(',').filter(Boolean))};
export async function resolve(specifier, context, next) {
  const hit = forbidden.find((f) => specifier.includes(f));
  if (hit) throw new Error('forbidden module loaded: ' + specifier);
  const resolved = await next(specifier, context);
  const hitUrl = forbidden.find((f) => resolved.url.includes(f));
  if (hitUrl) throw new Error('forbidden module loaded: ' + resolved.url);
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
