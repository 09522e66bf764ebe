// The shape of config/default.yaml and of a school's own config file; unknown keys are errors
// (a typo must not silently fall back to a default).
import { z } from "zod";

export const configSchema = z
  .object({
    store: z
      .object({
        dataDir: z.string().min(1).default("./data/pglite"),
        databaseUrl: z
          .string()
          .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
          .optional(),
      })
      .strict()
      .default({ dataDir: "./data/pglite" }),
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(2),
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\//, "expected a redis:// URL")
          .optional(),
      })
      .strict()
      .default({ concurrency: 2 }),
    log: z
      .object({
        level: z.enum(["error", "warn", "info", "debug"]).default("info"),
        format: z.enum(["auto", "json", "pretty"]).default("auto"),
      })
      .strict()
      .default({ level: "info", format: "auto" }),
    demo: z
      .object({
        size: z.enum(["small", "medium", "large"]).default("small"),
        seed: z.number().int().default(1),
        dir: z.string().default("./data/demo"),
      })
      .strict()
      .default({ size: "small", seed: 1, dir: "./data/demo" }),
    outDir: z.string().default("./out"),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
