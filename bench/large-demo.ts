// The large demo school, generated once per seed into .tmp/bench and reused by every benchmark.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { generateDemoSchool } from "../src/demo/generate.ts";

export async function largeDemoDir(seed = 1): Promise<string> {
  const dir = resolve(`.tmp/bench/large-${seed}`);
  if (!existsSync(`${dir}/ground-truth.jsonl`)) {
    const t = Date.now();
    await generateDemoSchool({ size: "large", seed, out: dir });
    console.log(`generated the large demo school in ${((Date.now() - t) / 1000).toFixed(1)} s → ${dir}`);
  }
  return dir;
}
