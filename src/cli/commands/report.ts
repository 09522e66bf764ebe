// `reglament report <kind>`: build a report from the store and write it (pdf|xlsx|csv|json) into a
// folder; `reglament report list`: the kinds with their Russian titles and the files generated.
import { resolve } from "node:path";
import type { Command } from "commander";
import { getReport, REPORTS } from "../../reports/catalog.ts";
import { type ReportFormat, reportFormatSchema } from "../../reports/render.ts";
import { lastObservedDate, loadPeriods, loadSchool, ReportParamsError } from "../../reports/report-data.ts";
import { listReportFiles, type ReportParams, writeReport } from "../../reports/report-files.ts";
import type { Db } from "../../store/db.ts";
import { configFrom, type GlobalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { UserError } from "../user-error.ts";

export { writePeriodReports } from "../../reports/report-files.ts";

export interface ReportCommandOptions {
  period?: string;
  class?: string;
  month?: string;
  student?: string;
  week?: string;
  format?: string;
  out?: string;
  school?: string;
}

/** The school's "today": its latest observation, else the real date. */
async function schoolToday(db: Db, schoolId: string): Promise<string> {
  const school = await loadSchool(db, schoolId);
  return (await lastObservedDate(db, school)) ?? new Date().toISOString().slice(0, 10);
}

/** Default period: the latest teaching period that has ended by the school's today, else the current one. */
export async function defaultPeriodId(db: Db, schoolId: string): Promise<string> {
  const today = await schoolToday(db, schoolId);
  const teaching = (await loadPeriods(db, schoolId)).filter((p) => p.kind !== "year");
  const ended = teaching.filter((p) => p.end < today).at(-1);
  const current = teaching.find((p) => p.start <= today && p.end >= today);
  const chosen = ended ?? current ?? teaching.at(-1);
  if (!chosen) throw new UserError("the store holds no periods: name one with --period");
  return chosen.id;
}

/** The parameters of a kind from the command's options, filling what a kind needs and was not given. */
export async function paramsFor(
  db: Db,
  schoolId: string,
  kind: string,
  o: ReportCommandOptions,
): Promise<ReportParams> {
  const def = getReport(kind);
  const needs = def.scope;
  const p: ReportParams = {};
  const month = async () => o.month ?? (await schoolToday(db, schoolId)).slice(0, 7);
  const period = async () => o.period ?? (await defaultPeriodId(db, schoolId));
  const needClass = () => {
    if (!o.class) throw new UserError(`report ${kind} needs --class <id>`);
    return o.class;
  };
  switch (needs) {
    case "month":
      p.month = await month();
      break;
    case "period":
      p.periodId = await period();
      break;
    case "period-or-month":
      if (o.month && !o.period) p.month = o.month;
      else p.periodId = await period();
      break;
    case "class-period":
      p.classId = needClass();
      p.periodId = await period();
      break;
    case "class-period-or-month":
      p.classId = needClass();
      if (o.month && !o.period) p.month = o.month;
      else p.periodId = await period();
      break;
    case "student":
      if (!o.student) throw new UserError(`report ${kind} needs --student <id>`);
      p.studentId = o.student;
      if (o.period) p.periodId = o.period;
      break;
    case "class-or-student":
      if (!o.student && !o.class) throw new UserError(`report ${kind} needs --class <id> or --student <id>`);
      if (o.student) p.studentId = o.student;
      else p.classId = o.class;
      if (kind === "parent-weekly") p.week = o.week ?? (await schoolToday(db, schoolId));
      else p.periodId = await period();
      break;
    case "school":
      break;
  }
  return p;
}

export function parseFormats(text: string | undefined): ReportFormat[] {
  const list = (text ?? "pdf")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return list.map((f) => {
    const parsed = reportFormatSchema.safeParse(f);
    if (!parsed.success) throw new UserError(`unknown format "${f}" (pdf, xlsx, csv, json)`);
    return parsed.data;
  });
}

async function listText(db: Db, schoolId: string | undefined): Promise<string> {
  const kinds = table(
    ["kind", "title"],
    REPORTS.map((r) => [r.kind, r.title]),
  );
  const files = await listReportFiles(db, schoolId);
  const out = ["Reports:", kinds, ""];
  if (files.length === 0) out.push("No report files generated yet.");
  else {
    out.push("Generated files:");
    out.push(
      table(
        ["created", "school", "kind", "format", "bytes", "path"],
        files.map((f) => [
          f.createdAt.toISOString().slice(0, 19),
          f.schoolId,
          f.kind,
          f.format,
          f.bytes,
          f.path,
        ]),
      ),
    );
  }
  return out.join("\n");
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("build a report from the store (`report list`: the kinds and the generated files)")
    .argument("<kind>", `report kind or "list" (${REPORTS.map((r) => r.kind).join(", ")})`)
    .option("--period <id>", "period id (default: the latest ended period)")
    .option("--class <id>", "class id")
    .option("--month <YYYY-MM>", "month (default: the month of the latest observation)")
    .option("--student <id>", "student id")
    .option("--week <YYYY-MM-DD>", "any day of the week (parent-weekly)")
    .option("--format <list>", "pdf, xlsx, csv, json or a comma-separated list", "pdf")
    .option("--out <dir>", "folder to write into (default: <outDir>/reports)")
    .option("--school <id>", "school id (needed when the store holds several)")
    .action(async (kind: string, opts: ReportCommandOptions, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      // Mistakes in the command itself are reported before the store is opened.
      const formats = parseFormats(opts.format);
      if (kind !== "list" && !REPORTS.some((r) => r.kind === kind))
        throw new UserError(`unknown report "${kind}" (reports: ${REPORTS.map((r) => r.kind).join(", ")})`);
      const db = await openStoreFrom(config);
      try {
        if (kind === "list") {
          console.log(await listText(db, opts.school));
          return;
        }
        const schoolId = await pickSchool(db, opts.school);
        const outDir = resolve(opts.out ?? `${config.outDir}/reports`);
        const params = await paramsFor(db, schoolId, kind, opts);
        const files = await writeReport(db, schoolId, kind, params, formats, outDir);
        console.log(`${getReport(kind).title}`);
        console.log(
          table(
            ["format", "bytes", "path"],
            files.map((f) => [f.format, f.bytes, f.path]),
          ),
        );
      } catch (err) {
        if (err instanceof ReportParamsError) throw new UserError(err.message);
        throw err;
      } finally {
        await db.close();
      }
    });
}
