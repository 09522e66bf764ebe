// Samples the process's resident memory while work runs; benchmarks print the peak. Worker threads
// are inside the process's RSS; with `children` the programs it runs (openssl, java…) are added too.
import { readdirSync, readFileSync } from "node:fs";

const PAGE = 4096;

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // the process ended between listing and reading
  }
}

/** RSS of the descendants of `pid` (Linux /proc; 0 elsewhere). */
function descendantsRss(pid: number): number {
  let total = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const task of tasks) {
    for (const child of read(`/proc/${pid}/task/${task}/children`).split(" ").filter(Boolean)) {
      const pages = Number(read(`/proc/${child}/statm`).split(" ")[1] ?? 0);
      total += (Number.isFinite(pages) ? pages : 0) * PAGE + descendantsRss(Number(child));
    }
  }
  return total;
}

export function trackPeakRss(intervalMs = 50, options: { children?: boolean } = {}): { stop(): number } {
  const sample = () => process.memoryUsage().rss + (options.children ? descendantsRss(process.pid) : 0);
  let peak = sample();
  const timer = setInterval(() => {
    peak = Math.max(peak, sample());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, sample());
    },
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
