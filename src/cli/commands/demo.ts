// `reglament demo generate`: a realistic demo school as a dataset folder.
import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { generateDemoSchool } from "../../demo/generate.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";

const SIZES = ["small", "medium", "large"] as const;
export type DemoSize = (typeof SIZES)[number];

function parseSize(v: string): DemoSize {
  if (!(SIZES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${SIZES.join(", ")}`);
  return v as DemoSize;
}

function parseSeed(v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError("expected a whole number");
  return Number(v);
}

export async function generateDemo(size: DemoSize, seed: number, out: string) {
  const progress = createProgress();
  try {
    return await generateDemoSchool({
      size,
      seed,
      out,
      onProgress: (done, total, stage) => progress.update(stage, done, total),
    });
  } finally {
    progress.stop();
  }
}

export function registerDemo(program: Command): void {
  const demo = program.command("demo").description("demo school tools");
  demo
    .command("generate")
    .description("write a demo school (dataset v1 + ground-truth.jsonl of injected violations)")
    .option("--size <size>", "small | medium | large", parseSize, "small" as DemoSize)
    .option("--seed <n>", "random seed (same seed, same files)", parseSeed, 1)
    .requiredOption("--out <dir>", "folder to write")
    .action(async (opts: { size: DemoSize; seed: number; out: string }) => {
      const started = Date.now();
      const result = await generateDemo(opts.size, opts.seed, resolve(opts.out));
      console.log(
        `Demo school (${opts.size}, seed ${opts.seed}) written to ${opts.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(table(["file", "records"], Object.entries(result.counts)));
      console.log(
        `Injected violations: ${Object.values(result.violations).reduce((a, b) => a + b, 0)} (see ground-truth.jsonl)`,
      );
    });
}
