import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp files this process is writing: removed if it is interrupted (SIGINT / SIGTERM). */
const inFlight = new Set<string>();
let handlersInstalled = false;

function installSignalCleanup(): void {
  // Inside a vitest worker the runner owns signals; a handler of ours could turn its shutdown into a crash.
  if (handlersInstalled || process.env.VITEST) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const tmp of inFlight) rmSync(tmp, { force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temp files of `path` left by writers that died without cleaning up (e.g. SIGKILL). */
function sweepStale(path: string): void {
  const prefix = `.${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && Number.isInteger(pid) && !alive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}

/**
 * Write a file so that readers see either the old content or the new, never
 * half of it: write a temp file beside it, then rename (atomic on one file
 * system). The temp name carries the pid so concurrent writers never collide,
 * and so a later run can tell a dead writer's leftovers from a live one's.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  installSignalCleanup();
  sweepStale(path);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  inFlight.add(tmp);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}
