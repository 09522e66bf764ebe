// A school's regulation as a preset (config/regulations/*.yaml): which rules are on, their parameters
// (validated against each rule's zod schema) and the escalation ladder. Loaded by number ("001"), by
// alias ("default", "dnevnik-74"…), or from a path. Errors name the file and the key.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { findRule, RULE_IDS } from "./registry.ts";

export const PRESETS_DIR = fileURLToPath(new URL("../../config/regulations/", import.meta.url));

const ruleEntrySchema = z.union([
  z.boolean(),
  z
    .object({
      enabled: z.boolean().default(true),
      params: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
]);

const presetFileSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    /** The source regulation text (under /work/shared/regulations or the school's own act). */
    source: z.string().optional(),
    aliases: z.array(z.string().min(1)).default([]),
    /** Another preset (number or alias) whose values this one starts from. */
    extends: z.string().optional(),
    escalation: z
      .object({
        /** Working days at each level before the next: teacher → class teacher → deputy → director. */
        steps: z.array(z.number().int().min(0).max(60)).max(3),
      })
      .strict()
      .optional(),
    calendar: z
      .object({
        /**
         * Pupils' holidays count as teachers' working days in working-day deadlines (default true:
         * order No. 536 of 11.05.2016, section IV); false where the school's act says otherwise.
         */
        vacationIsWorkingTime: z.boolean().optional(),
      })
      .strict()
      .optional(),
    rules: z.record(z.string(), ruleEntrySchema).default({}),
  })
  .strict();

export interface PresetRule {
  enabled: boolean;
  /** Parsed by the rule's own schema: defaults filled in. */
  params: unknown;
}

export interface Preset {
  id: string;
  title: string;
  file: string;
  source?: string;
  aliases: string[];
  escalation: { steps: number[] };
  /** How the school's calendar counts working days for this regulation. */
  calendar: PresetCalendar;
  rules: Record<string, PresetRule>;
}

export interface PresetCalendar {
  vacationIsWorkingTime: boolean;
}

export class PresetError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly detail: string,
  ) {
    super(`${file}: ${key ? `${key}: ` : ""}${detail}`);
  }
}

function presetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(dir, f));
}

type PresetFile = z.infer<typeof presetFileSchema>;

function readPresetFile(file: string): PresetFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    throw new PresetError(file, "", `not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = presetFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PresetError(file, issue.path.join("."), issue.message);
  }
  return parsed.data;
}

/** The file a name means: a path, a number ("001" → 001-*.yaml), an id or an alias. */
export function resolvePresetFile(nameOrFile: string, dir = PRESETS_DIR): string {
  if (nameOrFile.includes("/") || nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml")) {
    const path = resolve(nameOrFile);
    if (!existsSync(path)) throw new PresetError(path, "", "no such preset file");
    return path;
  }
  const files = presetFiles(dir);
  const byPrefix = files.find(
    (f) => basename(f).startsWith(`${nameOrFile}-`) || basename(f) === `${nameOrFile}.yaml`,
  );
  if (byPrefix) return byPrefix;
  for (const f of files) {
    const p = readPresetFile(f);
    if (p.id === nameOrFile || p.aliases.includes(nameOrFile)) return f;
  }
  const known = files.map((f) => basename(f, ".yaml")).join(", ");
  throw new PresetError(dir, "", `no preset "${nameOrFile}" (known: ${known})`);
}

/** Loads and validates a preset; `extends` chains are followed (a loop is an error). */
export function loadPreset(nameOrFile = "default", dir = PRESETS_DIR): Preset {
  const file = resolvePresetFile(nameOrFile, dir);
  const chain: { file: string; data: PresetFile }[] = [];
  for (let f: string | undefined = file; f; ) {
    if (chain.some((c) => c.file === f))
      throw new PresetError(file, "extends", "presets extend each other in a loop");
    const data = readPresetFile(f);
    chain.unshift({ file: f, data });
    f = data.extends ? resolvePresetFile(data.extends, dir) : undefined;
  }
  const own = chain[chain.length - 1].data;

  const entries = new Map<string, { file: string; enabled: boolean; params: Record<string, unknown> }>();
  let steps: number[] | undefined;
  const calendar: PresetCalendar = { vacationIsWorkingTime: true };
  for (const { file: f, data } of chain) {
    if (data.escalation) steps = data.escalation.steps;
    if (data.calendar?.vacationIsWorkingTime !== undefined)
      calendar.vacationIsWorkingTime = data.calendar.vacationIsWorkingTime;
    for (const [id, entry] of Object.entries(data.rules)) {
      if (!findRule(id))
        throw new PresetError(f, `rules.${id}`, `unknown rule (known: ${RULE_IDS.join(", ")})`);
      const prev = entries.get(id);
      if (typeof entry === "boolean") {
        entries.set(id, { file: f, enabled: entry, params: prev?.params ?? {} });
      } else {
        entries.set(id, {
          file: f,
          enabled: entry.enabled,
          params: { ...(prev?.params ?? {}), ...entry.params },
        });
      }
    }
  }
  if (!steps) throw new PresetError(file, "escalation.steps", "the escalation ladder is not set");

  const rules: Record<string, PresetRule> = {};
  for (const id of RULE_IDS) {
    const rule = findRule(id)!;
    const entry = entries.get(id);
    const parsed = rule.params.safeParse(entry?.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PresetError(
        entry?.file ?? file,
        ["rules", id, "params", ...issue.path.map(String)].join("."),
        issue.message,
      );
    }
    rules[id] = { enabled: entry?.enabled ?? false, params: parsed.data };
  }
  return {
    id: own.id,
    title: own.title,
    file,
    source: own.source,
    aliases: own.aliases,
    escalation: { steps },
    calendar,
    rules,
  };
}

/** Every shipped preset, by file. */
export function listPresets(dir = PRESETS_DIR): Preset[] {
  return presetFiles(dir).map((f) => loadPreset(f, dir));
}
