// Vitest's globalSetup (vitest.config.ts): runs once before the test processes start, in vitest's own process; what it
// puts in process.env reaches every test process (and the commands they spawn).
import { contextSeed } from './context-seed.ts';

export default async function setup(): Promise<void> {
  process.env.AFSTEM_CONTEXT_SEED = await contextSeed();
}
