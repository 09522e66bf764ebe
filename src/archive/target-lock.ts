/**
 * A lock file per storage target, so that two workers (a municipality may share targets between
 * schools) never interleave updates of the same manifest and registry.
 */
import { open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError } from "./errors.ts";
import { archiveMessages } from "./messages.ru.ts";

const LOCK_FILE = ".reglament.lock";
const STALE_MS = 10 * 60_000;

export class TargetBusyError extends ArchiveError {
  constructor(target: string) {
    super(`storage target ${target} is locked by another writer`, archiveMessages.targetBusy(target));
  }
}

async function acquire(dir: string, timeoutMs: number): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_MS) {
      await rm(path, { force: true }); // left by a crashed writer
      continue;
    }
    if (Date.now() > deadline) throw new TargetBusyError(dir);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `work` holding the locks of all given target folders (taken in a fixed order: no deadlock). */
export async function withTargetLocks<T>(
  dirs: readonly string[],
  work: () => Promise<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const dir of [...new Set(dirs)].sort()) releases.push(await acquire(dir, timeoutMs));
    return await work();
  } finally {
    for (const release of releases.reverse()) await release();
  }
}
