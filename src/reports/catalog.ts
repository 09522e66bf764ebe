// Every report reglament builds, by kind: its Russian title, its parameter schema and its builder.
// The CLI, the API and the queue's report jobs all go through buildReport.
import { z } from "zod";
import type { Db } from "../store/db.ts";
import { activityParamsSchema, buildActivity } from "./builders/activity.ts";
import { attendanceSheetParamsSchema, buildAttendanceSheet } from "./builders/attendance-sheet.ts";
import { buildClassResults, classResultsParamsSchema } from "./builders/class-results.ts";
import { buildClassSizes, classSizesParamsSchema } from "./builders/class-sizes.ts";
import { buildClassTeacherPeriod, classTeacherPeriodParamsSchema } from "./builders/class-teacher-period.ts";
import {
  buildClassTeacherPreliminary,
  classTeacherPreliminaryParamsSchema,
} from "./builders/class-teacher-preliminary.ts";
import {
  buildClassTeacherSummary,
  classTeacherSummaryParamsSchema,
} from "./builders/class-teacher-summary.ts";
import type { ReportKind } from "./builders/common.ts";
import { buildControlFigures, controlFiguresParamsSchema } from "./builders/control-figures.ts";
import { buildControlSpravka, controlSpravkaParamsSchema } from "./builders/control-spravka.ts";
import { buildForecast, forecastParamsSchema } from "./builders/forecast.ts";
import { buildLessonsSubstituted, lessonsSubstitutedParamsSchema } from "./builders/lessons-substituted.ts";
import { buildMarksSheet, marksSheetParamsSchema } from "./builders/marks-sheet.ts";
import { buildMeanVsPeriod, meanVsPeriodParamsSchema } from "./builders/mean-vs-period.ts";
import { reportBuilderMessages } from "./builders/messages.ru.ts";
import { buildMovement, movementParamsSchema } from "./builders/movement.ts";
import { buildParentWeekly, parentWeeklyParamsSchema } from "./builders/parent-weekly.ts";
import { buildPerformance, performanceParamsSchema } from "./builders/performance.ts";
import { buildSchoolPerformance, schoolPerformanceParamsSchema } from "./builders/school-performance.ts";
import { buildStudentExtract, studentExtractParamsSchema } from "./builders/student-extract.ts";
import type { Report } from "./model.ts";
import { ReportParamsError } from "./report-data.ts";

export type { ReportKind } from "./builders/common.ts";

/** Which ids a kind needs: the CLI asks for them and the scheduler fills them. */
export type ReportScope =
  | "month"
  | "period"
  | "period-or-month"
  | "class-period"
  | "class-period-or-month"
  | "student"
  | "class-or-student"
  | "school";

export interface ReportDefinition<S extends z.ZodType = z.ZodType> {
  kind: ReportKind;
  title: string;
  scope: ReportScope;
  params: S;
  build(db: Db, schoolId: string, params: z.infer<S>): Promise<Report>;
}

function define<S extends z.ZodType>(
  kind: ReportKind,
  scope: ReportScope,
  params: S,
  build: (db: Db, schoolId: string, params: z.infer<S>) => Promise<Report>,
): ReportDefinition {
  return { kind, title: reportBuilderMessages.titles[kind], scope, params, build } as ReportDefinition;
}

export const REPORTS: readonly ReportDefinition[] = [
  define("activity", "month", activityParamsSchema, buildActivity),
  define("performance", "period", performanceParamsSchema, buildPerformance),
  define("control-figures", "period-or-month", controlFiguresParamsSchema, buildControlFigures),
  define("movement", "period", movementParamsSchema, buildMovement),
  define("class-sizes", "school", classSizesParamsSchema, buildClassSizes),
  define("class-teacher-summary", "class-period", classTeacherSummaryParamsSchema, buildClassTeacherSummary),
  define("school-performance", "period", schoolPerformanceParamsSchema, buildSchoolPerformance),
  define("class-results", "class-period", classResultsParamsSchema, buildClassResults),
  define("marks-sheet", "class-period", marksSheetParamsSchema, buildMarksSheet),
  define("attendance-sheet", "class-period-or-month", attendanceSheetParamsSchema, buildAttendanceSheet),
  define(
    "class-teacher-preliminary",
    "class-period",
    classTeacherPreliminaryParamsSchema,
    buildClassTeacherPreliminary,
  ),
  define("class-teacher-period", "class-period", classTeacherPeriodParamsSchema, buildClassTeacherPeriod),
  define("control-spravka", "month", controlSpravkaParamsSchema, buildControlSpravka),
  define("student-extract", "student", studentExtractParamsSchema, buildStudentExtract),
  define("mean-vs-period", "class-period", meanVsPeriodParamsSchema, buildMeanVsPeriod),
  define("lessons-substituted", "period-or-month", lessonsSubstitutedParamsSchema, buildLessonsSubstituted),
  define("parent-weekly", "class-or-student", parentWeeklyParamsSchema, buildParentWeekly),
  define("forecast", "class-or-student", forecastParamsSchema, buildForecast),
];

export const REPORT_KINDS: readonly ReportKind[] = REPORTS.map((r) => r.kind);

export const reportKindSchema = z.enum(REPORT_KINDS as [ReportKind, ...ReportKind[]]);

/** The definition of a kind, or a ReportParamsError naming the kinds there are. */
export function getReport(kind: string): ReportDefinition {
  const found = REPORTS.find((r) => r.kind === kind);
  if (!found) throw new ReportParamsError(`unknown report "${kind}" (reports: ${REPORT_KINDS.join(", ")})`);
  return found;
}

/** Validates the parameters of a kind (ReportParamsError on a bad one) and builds the report. */
export async function buildReport(db: Db, schoolId: string, kind: string, params: unknown): Promise<Report> {
  const def = getReport(kind);
  const parsed = def.params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportParamsError(
      `report ${kind}: ${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return def.build(db, schoolId, parsed.data);
}
