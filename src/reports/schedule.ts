// Which reports fall due on a school's date, as queue jobs, and the worker side that builds them:
// monthly activity and the control справка on the last school day of the month (004 §2.4, 001 §5.2),
// period reports on the first working day after a period ends (000 §7.2, 003 §8.2), forecasts and
// the preliminary report ten school days before it ends (002 §6, 001 §3.4), and the weekly parent
// printouts on the week's last school day (002 §5, 001 §3.4).
import { z } from "zod";
import { addDays, SchoolCalendar } from "../calendar/index.ts";
import type { Db } from "../store/db.ts";
import { type ReportKind, reportKindSchema } from "./catalog.ts";
import { reportFormatSchema } from "./render.ts";
import { loadPeriods, loadRoster, type PeriodInfo } from "./report-data.ts";
import {
  PERIOD_CLASS_REPORTS,
  PERIOD_SCHOOL_REPORTS,
  type ReportParams,
  reportFileStem,
  type WrittenReportFile,
  writeReport,
} from "./report-files.ts";

/** The job data of a report job: ids only (the queue forbids payloads). */
export const reportJobDataSchema = z.object({
  schoolId: z.string().min(1),
  kind: reportKindSchema,
  periodId: z.string().min(1).optional(),
  classId: z.string().min(1).optional(),
  month: z.string().optional(),
  studentId: z.string().min(1).optional(),
  week: z.string().optional(),
  /** Comma-separated formats, default "pdf,xlsx". */
  formats: z.string().optional(),
});
export type ReportJobData = z.infer<typeof reportJobDataSchema>;

export interface ReportJob {
  name: "report";
  data: ReportJobData;
  /** Deterministic: the same report due twice is one job. */
  jobId: string;
}

/** Days before a period's end the forecast and preliminary report are due (school days). */
export const PRELIMINARY_SCHOOL_DAYS_BEFORE_END = 10;

function job(schoolId: string, kind: ReportKind, params: ReportParams): ReportJob {
  const data = { schoolId, kind, ...params } as ReportJobData;
  return { name: "report", data, jobId: `report:${schoolId}:${reportFileStem(kind, params)}` };
}

async function calendarOf(
  db: Db,
  schoolId: string,
  timezone: string,
  workweek: 5 | 6,
): Promise<SchoolCalendar> {
  const overrides = await db.query<{ date: string; kind: "holiday" | "workday" | "vacation" }>(
    "SELECT day AS date, kind FROM calendar_overrides WHERE school_id = $1 AND deleted_at IS NULL AND day IS NOT NULL",
    [schoolId],
  );
  return new SchoolCalendar({ timezone, workweek, overrides });
}

function firstNationalWorkingDayAfter(cal: SchoolCalendar, date: string): string {
  let d = addDays(date, 1);
  for (let i = 0; i < 60 && !cal.isNationalWorkingDay(d); i++) d = addDays(d, 1);
  return d;
}

function schoolDaysBefore(cal: SchoolCalendar, end: string, n: number, notBefore: string): string | null {
  let d = end;
  let left = n;
  while (d >= notBefore) {
    if (cal.isSchoolDay(d)) {
      if (left === 0) return d;
      left--;
    }
    d = addDays(d, -1);
  }
  return null;
}

/** The report jobs due on `date` (the school's local `YYYY-MM-DD`). */
export async function dueReports(db: Db, schoolId: string, date: string): Promise<ReportJob[]> {
  const roster = await loadRoster(db, schoolId);
  const cal = await calendarOf(db, schoolId, roster.school.timezone, roster.school.workweek);
  const periods = await loadPeriods(db, schoolId);
  const jobs: ReportJob[] = [];
  const [year, month] = date.split("-").map(Number);
  if (cal.lastSchoolDayOfMonth(year, month) === date) {
    const m = date.slice(0, 7);
    for (const kind of ["activity", "control-spravka", "control-figures"] as const)
      jobs.push(job(schoolId, kind, { month: m }));
  }
  const teaching = periods.filter((p: PeriodInfo) => p.kind !== "year");
  for (const p of periods) {
    if (firstNationalWorkingDayAfter(cal, p.end) === date) {
      for (const kind of PERIOD_SCHOOL_REPORTS)
        jobs.push(job(schoolId, kind, kind === "class-sizes" ? {} : { periodId: p.id }));
      for (const c of roster.classes)
        for (const kind of PERIOD_CLASS_REPORTS)
          jobs.push(job(schoolId, kind, { classId: c.id, periodId: p.id }));
    }
  }
  for (const p of teaching) {
    if (schoolDaysBefore(cal, p.end, PRELIMINARY_SCHOOL_DAYS_BEFORE_END, p.start) === date) {
      for (const c of roster.classes) {
        jobs.push(job(schoolId, "forecast", { classId: c.id, periodId: p.id }));
        jobs.push(job(schoolId, "class-teacher-preliminary", { classId: c.id, periodId: p.id }));
      }
    }
  }
  // The week's last school day: no later school day before the next Monday.
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const sunday = addDays(date, (7 - weekday) % 7);
  let laterSchoolDay = false;
  for (let d = addDays(date, 1); d <= sunday; d = addDays(d, 1))
    if (cal.isSchoolDay(d)) laterSchoolDay = true;
  const inTerm = teaching.some((p) => p.start <= date && p.end >= date);
  if (cal.isSchoolDay(date) && !laterSchoolDay && inTerm) {
    for (const c of roster.classes) jobs.push(job(schoolId, "parent-weekly", { classId: c.id, week: date }));
  }
  return jobs;
}

/** The worker side of a report job: builds the report and writes its files into outDir. */
export async function runReportJob(db: Db, data: unknown, outDir: string): Promise<WrittenReportFile[]> {
  const parsed = reportJobDataSchema.parse(data);
  const { schoolId, kind, formats, ...params } = parsed;
  const list = (formats ?? "pdf,xlsx").split(",").map((f) => reportFormatSchema.parse(f.trim()));
  return writeReport(db, schoolId, kind, params, list, outDir);
}
