// Generates the large demo school into a temp dir and prints time, row counts and peak RSS.
// Run: node --import tsx bench/demo.bench.ts [seed] [--keep]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateDemoSchool } from "../src/demo/generate.ts";

const seed = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1);
const keep = process.argv.includes("--keep");
const out = mkdtempSync(join(tmpdir(), "reglament-demo-bench-"));

let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);
const started = performance.now();
const cpuStarted = process.cpuUsage();
try {
  const result = await generateDemoSchool({
    size: "large",
    seed,
    out,
    onProgress: (done, total, stage) => {
      sample();
      if (done % 15 === 0 || done === total) process.stderr.write(`\r${done}/${total} ${stage}          `);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  process.stderr.write("\n");
  console.log(
    JSON.stringify(
      {
        size: "large",
        seed,
        seconds: Number(seconds.toFixed(2)),
        cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
        peakRssMB: Math.round(peakRss / 2 ** 20),
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        counts: result.counts,
        violations: result.violations,
        out: keep ? out : undefined,
      },
      null,
      2,
    ),
  );
} finally {
  clearInterval(timer);
  if (!keep) rmSync(out, { recursive: true, force: true });
}
