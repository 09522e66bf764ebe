// Writing built reports to disk and listing them in the store (report_files): a file handed out can
// be found again and checked against its sha256.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readableFileName, schoolFolderName } from "../archive/naming.ts";
import type { Db } from "../store/db.ts";
import {
  reportBuilderMessages as m,
  monthName,
  periodFileLabel,
  weekFileLabel,
} from "./builders/messages.ru.ts";
import { buildReport, type ReportKind } from "./catalog.ts";
import type { Report } from "./model.ts";
import { fileExtension, type ReportFormat, renderReport } from "./render.ts";
import { loadPeriods, loadRoster, weekRange } from "./report-data.ts";

export type ReportParams = Record<string, string | number | boolean | undefined>;

export interface WrittenReportFile {
  format: ReportFormat;
  path: string;
  sha256: string;
  bytes: number;
}

export interface ReportFileRow {
  id: string;
  kind: string;
  params: ReportParams;
  format: ReportFormat;
  path: string;
  sha256: string;
  bytes: number;
  createdAt: Date;
}

/** `performance_q1-2025`: the kind and the parameter values (ids), for job ids. */
export function reportFileStem(kind: string, params: ReportParams): string {
  const values = Object.keys(params)
    .sort()
    .map((k) => params[k])
    .filter((v) => v !== undefined && v !== "")
    .map((v) => String(v).replace(/[^A-Za-z0-9._-]+/g, "-"));
  return [kind, ...values].join("_");
}

/** What a person reads in a report's file name. */
export interface ReportNameParts {
  title: string;
  /** «5А». */
  class?: string;
  /** The pupil's name, for a pupil's report. */
  student?: string;
  /** «2 четверть 2025-2026», «сентябрь 2025», «неделя с 29.09.2025». */
  time?: string;
}

/** «Ведомость успеваемости 5А, 2 четверть 2025-2026» (no extension). */
export function reportFileStemFor(parts: ReportNameParts): string {
  const head = [parts.title, parts.class].filter(Boolean).join(" ");
  return [head, parts.student, parts.time].filter(Boolean).join(", ");
}

/** The readable parts of a report's file name, from the store (class and period as printed, not ids). */
export async function reportNameParts(
  db: Db,
  schoolId: string,
  kind: string,
  params: ReportParams,
): Promise<ReportNameParts> {
  const title = m.fileTitles[kind as ReportKind] ?? kind;
  const roster = await loadRoster(db, schoolId);
  const str = (key: string) =>
    typeof params[key] === "string" && params[key] !== "" ? String(params[key]) : undefined;
  const studentId = str("studentId");
  const student = studentId ? roster.personById.get(studentId) : undefined;
  const classId = str("classId") ?? student?.classId ?? undefined;
  const parts: ReportNameParts = { title };
  if (classId) parts.class = roster.classById.get(classId)?.name ?? classId;
  if (studentId) parts.student = student?.name ?? studentId;
  const periodId = str("periodId");
  const month = str("month");
  const week = str("week");
  if (periodId) {
    const period = (await loadPeriods(db, schoolId)).find((p) => p.id === periodId);
    parts.time = period ? periodFileLabel(period) : periodId;
  } else if (month) parts.time = monthName(month);
  else if (week) parts.time = weekFileLabel(weekRange(week).from);
  return parts;
}

const stableJson = (value: ReportParams): string =>
  JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * The paths (one per format) for a report: `<outDir>/<school>/<readable name>.<ext>`. A name already
 * recorded for another report of the school (another kind or other parameters, e.g. two pupils of
 * the same name) gets « (2)», « (3)»…; the same report again keeps its name.
 */
async function reportPaths(
  db: Db,
  schoolId: string,
  kind: string,
  params: ReportParams,
  formats: readonly ReportFormat[],
  dir: string,
): Promise<Map<ReportFormat, string>> {
  const stem = reportFileStemFor(await reportNameParts(db, schoolId, kind, params));
  const mine = stableJson(params);
  for (let n = 1; ; n++) {
    const paths = new Map(
      formats.map((f) => [
        f,
        resolve(join(dir, readableFileName(n === 1 ? stem : `${stem} (${n})`, fileExtension(f)))),
      ]),
    );
    const taken = await db.query<{ kind: string; params: ReportParams | string }>(
      "SELECT kind, params FROM report_files WHERE school_id = $1 AND path = ANY($2::text[])",
      [schoolId, [...paths.values()]],
    );
    const other = taken.some((row) => {
      const theirs = typeof row.params === "string" ? JSON.parse(row.params) : row.params;
      return row.kind !== kind || stableJson(theirs) !== mine;
    });
    if (!other) return paths;
  }
}

/** Renders a built report in each format into `<outDir>/<school>/`, records every file, returns them. */
export async function saveReport(
  db: Db,
  schoolId: string,
  report: Report,
  params: ReportParams,
  formats: readonly ReportFormat[],
  outDir: string,
): Promise<WrittenReportFile[]> {
  // each school its own folder: two schools' reports in one out dir never collide
  const dir = join(outDir, schoolFolderName(schoolId));
  await mkdir(dir, { recursive: true });
  const paths = await reportPaths(db, schoolId, report.kind, params, formats, dir);
  const written: WrittenReportFile[] = [];
  for (const format of formats) {
    const bytes = await renderReport(report, format);
    const path = paths.get(format)!;
    await writeFile(path, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await db.query(
      `INSERT INTO report_files (school_id, kind, params, format, path, sha256, bytes)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
       ON CONFLICT (school_id, path) DO UPDATE SET kind = excluded.kind, params = excluded.params,
         format = excluded.format, sha256 = excluded.sha256, bytes = excluded.bytes, created_at = now()`,
      [schoolId, report.kind, JSON.stringify(params), format, path, sha256, bytes.length],
    );
    written.push({ format, path, sha256, bytes: bytes.length });
  }
  return written;
}

/** Builds a report of a kind (parameters validated) and writes it in the formats. */
export async function writeReport(
  db: Db,
  schoolId: string,
  kind: string,
  params: ReportParams,
  formats: readonly ReportFormat[],
  outDir: string,
): Promise<WrittenReportFile[]> {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  const report = await buildReport(db, schoolId, kind, clean);
  return saveReport(db, schoolId, report, clean, formats, outDir);
}

/** The files generated for a school (or every school), newest first. */
export async function listReportFiles(
  db: Db,
  schoolId?: string,
): Promise<(ReportFileRow & { schoolId: string })[]> {
  return db.query<ReportFileRow & { schoolId: string }>(
    `SELECT id::text AS id, school_id AS "schoolId", kind, params, format, path, sha256, bytes::int AS bytes,
       created_at AS "createdAt"
     FROM report_files WHERE ($1::text IS NULL OR school_id = $1) ORDER BY created_at DESC, id DESC`,
    [schoolId ?? null],
  );
}

/** The school-wide reports due after a period ends (000 §7.2, 001 §3.3). */
export const PERIOD_SCHOOL_REPORTS: readonly ReportKind[] = [
  "performance",
  "school-performance",
  "movement",
  "class-sizes",
  "control-figures",
  "lessons-substituted",
];

/** The per-class reports due after a period ends (001 §3.3–3.4). */
export const PERIOD_CLASS_REPORTS: readonly ReportKind[] = [
  "class-results",
  "class-teacher-period",
  "class-teacher-summary",
  "marks-sheet",
  "attendance-sheet",
  "mean-vs-period",
];

/**
 * Writes the period reports of a school in PDF and XLSX: the school-wide ones, then the per-class ones
 * for every class. Returns the paths written.
 */
export async function writePeriodReports(
  db: Db,
  schoolId: string,
  periodId: string,
  outDir: string,
): Promise<string[]> {
  const formats: ReportFormat[] = ["pdf", "xlsx"];
  const paths: string[] = [];
  for (const kind of PERIOD_SCHOOL_REPORTS) {
    const params = kind === "class-sizes" ? {} : { periodId };
    paths.push(...(await writeReport(db, schoolId, kind, params, formats, outDir)).map((f) => f.path));
  }
  const roster = await loadRoster(db, schoolId);
  for (const c of roster.classes) {
    for (const kind of PERIOD_CLASS_REPORTS) {
      paths.push(
        ...(await writeReport(db, schoolId, kind, { classId: c.id, periodId }, formats, outDir)).map(
          (f) => f.path,
        ),
      );
    }
  }
  return paths;
}
