// A stand-in for a running batch (for the lock tests): takes the run lock, holds the database open read-write,
// prints "ready" and waits until it is killed.  Usage: node --import tsx lock-holder.ts <database> <runId>
import { acquireLock } from '../../src/lock.ts';
import { Db } from '../../src/db.ts';

const [database, runId] = process.argv.slice(2);
const lock = await acquireLock(database, runId);
const db = await Db.open(database);
await db.run('CREATE TABLE IF NOT EXISTS holder_touch (x INTEGER)');
process.stdout.write('ready\n');
setInterval(() => void db, 60_000);
void lock;
