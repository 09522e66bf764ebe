// CPU seconds of the processes a benchmark drives: itself, a child (the simulator) and its PostgreSQL
// backends. On a shared machine wall time measures the neighbours too; CPU time measures the work.
import { readFileSync } from "node:fs";
import pg from "pg";

const TICKS = 100; // USER_HZ on Linux

/** user + system CPU seconds of a process, from /proc; 0 when it is gone or not visible. */
export function processCpuSecs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU of the PostgreSQL backends whose application_name is `app` (set PGAPPNAME before the pool opens),
 * sampled every half second: a backend that ends between samples loses at most its last half second.
 */
export async function trackBackendCpu(
  url: string,
  app: string,
): Promise<{ total(): Promise<number>; stop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: `${app}_probe` });
  await client.connect();
  const last = new Map<number, number>();
  const sample = async () => {
    const rows = (await client.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [app]))
      .rows;
    for (const { pid } of rows as { pid: number }[]) {
      const secs = processCpuSecs(pid);
      if (secs > 0) last.set(pid, secs);
    }
  };
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(sample).catch(() => {});
  }, 500);
  return {
    async total() {
      running = running.then(sample).catch(() => {});
      await running;
      return [...last.values()].reduce((a, b) => a + b, 0);
    },
    async stop() {
      clearInterval(timer);
      await running;
      await client.end();
    },
  };
}
