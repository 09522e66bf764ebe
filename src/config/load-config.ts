// Loads config/default.yaml, then a school's own file, then the environment; validates with zod and
// names the file, the key and what was expected when something is wrong.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { z } from "zod";
import { type Config, configSchema } from "./schema.ts";

export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL("../../config/default.yaml", import.meta.url));

export class ConfigError extends Error {}

function readYaml(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new ConfigError(`${file}: config file not found`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc))
    throw new ConfigError(`${file}: expected a mapping of keys at the top`);
  return doc as Record<string, unknown>;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === "object" &&
      !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  return issue.message;
}

/** Validates one layer on its own so the error can name the file it came from. */
export function validateConfigFile(file: string): void {
  const parsed = configSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: key "${issue.path.join(".") || "(top)"}": ${describeIssue(issue)}`);
  }
}

export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = options.env ?? process.env;
  const files = [DEFAULT_CONFIG_FILE, options.file ?? env.REGLAMENT_CONFIG].filter((f): f is string =>
    Boolean(f),
  );
  let merged: Record<string, unknown> = {};
  for (const file of files) {
    validateConfigFile(file);
    merged = deepMerge(merged, readYaml(file));
  }
  const fromEnv: Record<string, unknown> = {};
  const set = (path: string[], value: unknown) => {
    let node = fromEnv;
    for (const p of path.slice(0, -1)) {
      node[p] ??= {};
      node = node[p] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  };
  if (env.DATABASE_URL) set(["store", "databaseUrl"], env.DATABASE_URL);
  if (env.REGLAMENT_DATA_DIR) set(["store", "dataDir"], env.REGLAMENT_DATA_DIR);
  if (env.REDIS_URL) set(["queue", "redisUrl"], env.REDIS_URL);
  if (env.LOG_LEVEL) set(["log", "level"], env.LOG_LEVEL);
  if (env.LOG_FORMAT) set(["log", "format"], env.LOG_FORMAT);
  const parsed = configSchema.safeParse(deepMerge(merged, fromEnv));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join(".");
    const envName = {
      "store.databaseUrl": "DATABASE_URL",
      "queue.redisUrl": "REDIS_URL",
      "log.level": "LOG_LEVEL",
      "log.format": "LOG_FORMAT",
    }[key];
    throw new ConfigError(
      `${envName ? `environment ${envName}` : files.join(" + ")}: key "${key}": ${describeIssue(issue)}`,
    );
  }
  return parsed.data;
}
