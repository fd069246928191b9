import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A lock directory shared by Jest's parent process and its workers: whoever creates it first does
 * the work, the others wait. It records the holder's pid, so a lock left behind by a killed test
 * run (its holder no longer alive) is taken over instead of being waited on forever.
 */
export function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    if (holderAlive(lock)) return false;
    rmSync(lock, { recursive: true, force: true }); // stale: its holder died
    return tryLock(lock);
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

export function unlock(lock: string): void {
  rmSync(lock, { recursive: true, force: true });
}

function holderAlive(lock: string): boolean {
  const pidFile = join(lock, 'pid');
  if (!existsSync(pidFile)) {
    // just created and its pid not written yet, unless its holder died in between
    return existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 10_000;
  }
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Blocks the calling thread (a test worker with nothing else to do while it waits). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
