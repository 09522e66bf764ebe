// `reglament check` (run the rules and keep the violations), `reglament violations list|waive|resolve`,
// `reglament incident add` (an access breach: the changes through that account to review).
import type { Command } from "commander";
import { runCheck } from "../../rules/engine.ts";
import { addIncident, changesAfterIncident } from "../../rules/incidents.ts";
import { checkMessages } from "../../rules/messages.ru.ts";
import { loadPreset, PresetError } from "../../rules/presets.ts";
import { findRule, RULE_IDS } from "../../rules/registry.ts";
import type { Finding } from "../../rules/types.ts";
import {
  listViolations,
  resolveViolation,
  ViolationNotFoundError,
  type ViolationStatus,
  waiveViolation,
} from "../../rules/violations.ts";
import { computeWarnings } from "../../rules/warnings.ts";
import type { Db } from "../../store/db.ts";
import { configFrom, type GlobalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { UserError } from "../user-error.ts";

function parseInstant(v: string | undefined, flag: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UserError(`${flag}: not an ISO time: "${v}"`);
  return d;
}

function parseFormat(v: string | undefined): "table" | "json" {
  const f = v ?? "table";
  if (f !== "table" && f !== "json") throw new UserError(`--format: expected table or json, got "${f}"`);
  return f;
}

async function withStore<T>(cmd: Command, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStoreFrom(configFrom(cmd.optsWithGlobals<GlobalOptions>()));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function findingLine(f: Finding, detectedAt: string): string {
  const { kind, key, ...ids } = f.entity;
  return JSON.stringify({
    ruleId: f.ruleId,
    clause: f.clause,
    entity: { kind, key, ...ids },
    responsibleId: f.responsibleId,
    deadline: f.deadline,
    detectedAt,
    evidence: f.evidence,
    message: f.message,
  });
}

interface CheckCliOptions {
  asOf?: string;
  rule?: string[];
  class?: string;
  regulation?: string;
  format?: string;
  incremental?: boolean;
  school?: string;
  warnings?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check the journal against the regulation and update the violations")
    .option("--as-of <iso>", "check as of this moment (default: now)")
    .option("--rule <id...>", `only these rules (${RULE_IDS.join(", ")})`)
    .option("--class <id>", "only findings about this class")
    .option("--regulation <preset>", "preset number/alias (001, 004, default…) or a YAML file", "default")
    .option("--format <format>", "table or json (JSON lines)", "table")
    .option("--incremental", "re-evaluate only what changed since the last check")
    .option("--warnings", "also list early warnings (deadlines not yet passed)")
    .option("--school <id>", "the school (required when the store holds several)")
    .action(async (opts: CheckCliOptions, cmd: Command) => {
      const format = parseFormat(opts.format);
      const asOf = parseInstant(opts.asOf, "--as-of") ?? new Date();
      for (const r of opts.rule ?? []) if (!findRule(r)) throw new UserError(`--rule: unknown rule "${r}"`);
      let preset: ReturnType<typeof loadPreset>;
      try {
        preset = loadPreset(opts.regulation ?? "default");
      } catch (err) {
        if (err instanceof PresetError) throw new UserError(err.message);
        throw err;
      }
      await withStore(cmd, async (db) => {
        const schoolId = await pickSchool(db, opts.school);
        const result = await runCheck(db, schoolId, {
          asOf,
          preset,
          rules: opts.rule,
          classId: opts.class,
          incremental: opts.incremental,
        });
        const warnings = opts.warnings ? await computeWarnings(db, schoolId, { asOf, preset }) : [];
        if (format === "json") {
          for (const f of result.findings) console.log(findingLine(f, result.asOf));
          for (const w of warnings) console.log(JSON.stringify({ warning: true, ...w }));
        } else {
          if (result.findings.length === 0) console.log(checkMessages.noFindings);
          else
            console.log(
              table(
                ["rule", "entity", "responsible", "deadline", "message"],
                result.findings.map((f) => [
                  f.ruleId,
                  f.entity.key,
                  f.responsibleId ?? "—",
                  f.deadline,
                  f.message,
                ]),
              ),
            );
          for (const w of warnings) console.log(`! ${w.message}`);
          console.log(checkMessages.summary(result.new, result.stillOpen, result.resolved));
        }
        for (const f of result.failures) console.error(`rule ${f.ruleId} failed: ${f.error}`);
        if (result.failures.length > 0) throw new UserError(`${result.failures.length} rule(s) failed`);
      });
    });

  const violations = program.command("violations").description("stored violations: list, waive, resolve");
  violations
    .command("list")
    .option("--status <status>", "open, resolved or waived")
    .option("--rule <id>", "one rule")
    .option("--format <format>", "table or json", "table")
    .option("--school <id>", "the school")
    .action(
      async (opts: { status?: string; rule?: string; format?: string; school?: string }, cmd: Command) => {
        const format = parseFormat(opts.format);
        if (opts.status && !["open", "resolved", "waived"].includes(opts.status))
          throw new UserError(`--status: expected open, resolved or waived, got "${opts.status}"`);
        await withStore(cmd, async (db) => {
          const schoolId = await pickSchool(db, opts.school);
          const list = await listViolations(db, schoolId, {
            status: opts.status as ViolationStatus | undefined,
            ruleId: opts.rule,
          });
          if (format === "json") for (const v of list) console.log(JSON.stringify(v));
          else
            console.log(
              table(
                ["id", "rule", "entity", "status", "level", "deadline", "message"],
                list.map((v) => [v.id, v.ruleId, v.entity.key, v.status, v.level, v.deadline, v.message]),
              ),
            );
        });
      },
    );
  for (const action of ["waive", "resolve"] as const) {
    violations
      .command(`${action} <id>`)
      .requiredOption("--reason <text>", "why (kept in the history)")
      .option("--by <personId>", "who decides (the deputy)")
      .option("--school <id>", "the school")
      .action(async (id: string, opts: { reason: string; by?: string; school?: string }, cmd: Command) => {
        const n = Number(id);
        if (!Number.isInteger(n) || n <= 0) throw new UserError(`not a violation id: "${id}"`);
        if (!opts.reason.trim()) throw new UserError("--reason must not be empty");
        await withStore(cmd, async (db) => {
          const schoolId = await pickSchool(db, opts.school);
          try {
            const fn = action === "waive" ? waiveViolation : resolveViolation;
            const v = await fn(db, schoolId, n, { personId: opts.by, reason: opts.reason });
            console.log(`violation ${v.id}: ${v.status}`);
          } catch (err) {
            if (err instanceof ViolationNotFoundError) throw new UserError(err.message);
            throw err;
          }
        });
      });
  }

  program
    .command("incident")
    .description("access breaches (001 §4.2–4.3)")
    .command("add")
    .requiredOption("--account <id>", "the account (person id) whose access was breached")
    .requiredOption("--reported-at <iso>", "when the administrator and director were informed")
    .option("--note <text>", "what happened")
    .option("--format <format>", "table or json", "table")
    .option("--school <id>", "the school")
    .action(
      async (
        opts: { account: string; reportedAt: string; note?: string; format?: string; school?: string },
        cmd: Command,
      ) => {
        const format = parseFormat(opts.format);
        const reportedAt = parseInstant(opts.reportedAt, "--reported-at")!;
        await withStore(cmd, async (db) => {
          const schoolId = await pickSchool(db, opts.school);
          const inc = await addIncident(db, {
            schoolId,
            accountId: opts.account,
            reportedAt,
            note: opts.note,
          });
          const changes = await changesAfterIncident(db, inc.id);
          if (format === "json") {
            for (const c of changes) console.log(JSON.stringify({ incidentId: inc.id, ...c }));
            return;
          }
          console.log(`incident ${inc.id}`);
          console.log(
            changes.length === 0 ? checkMessages.noChanges : checkMessages.incidentChanges(changes.length),
          );
          if (changes.length > 0)
            console.log(
              table(
                ["when", "what", "key", "basis", "certain"],
                changes.map((c) => [c.at, c.field, c.key, c.basis, c.certain ? "yes" : "no"]),
              ),
            );
        });
      },
    );
}
