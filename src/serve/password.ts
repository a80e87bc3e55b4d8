// Passwords of the built-in accounts (FORMATS.md §9: stored only as a slow salted hash): node:crypto's scrypt with a
// random 16-byte salt, N = 2^15, r = 8, p = 1 (about 100 ms and 32 MiB a check on this kind of machine), compared in
// constant time. Stored as `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<hash, base64>`, so the cost can be raised later
// without invalidating the hashes already stored.
import crypto from 'node:crypto';

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** The shortest password `afstem user` accepts, and the longest (a bound on the work one sign-in may cause). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: 2 ** logN, r, p, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** A problem with a new password, in Danish; null when it will do. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `adgangskoden skal have mindst ${MIN_PASSWORD_LENGTH} tegn`;
  if (password.length > MAX_PASSWORD_LENGTH) return `adgangskoden må højst have ${MAX_PASSWORD_LENGTH} tegn`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches the stored hash; false for a hash it cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || password.length > MAX_PASSWORD_LENGTH) return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return false;
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scrypt(password, Buffer.from(parts[4], 'base64'), logN, r, p);
  return expected.length === key.length && crypto.timingSafeEqual(expected, key);
}

let dummy: Promise<string> | undefined;

/** A hash to check a password against when the user does not exist, so that an unknown user takes as long. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(24).toString('base64'));
  return dummy;
}
