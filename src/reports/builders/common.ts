// Shared pieces of the builders: the report frame, the metric columns, small aggregations.
import { DateTime } from "luxon";
import { reportMessages } from "../messages.ru.ts";
import {
  countOutcomes,
  learningLevel,
  type MarkValue,
  meanMark,
  normalizeMark,
  type OutcomeCounts,
  qualityRate,
  successRate,
} from "../metrics.ts";
import {
  type Column,
  type LabelledValue,
  parseReport,
  type Report,
  type Row,
  type Section,
} from "../model.ts";
import type { Roster, SchoolInfo } from "../report-data.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";

export type ReportKind = keyof typeof m.titles;

export interface FrameInput {
  kind: ReportKind;
  school: SchoolInfo;
  subtitle?: string;
  parameters: LabelledValue[];
  orientation?: "portrait" | "landscape";
  sections: Section[];
}

/** The whole report: title from the catalogue, school first in the parameters, validated. */
export function frame(input: FrameInput): Report {
  const generatedAt =
    DateTime.now().setZone(input.school.timezone).toISO({ suppressMilliseconds: true }) ??
    new Date().toISOString();
  return parseReport({
    kind: input.kind,
    title: m.titles[input.kind],
    subtitle: input.subtitle,
    parameters: [{ label: m.params.school, value: input.school.name }, ...input.parameters],
    generatedAt,
    orientation: input.orientation ?? "portrait",
    sections: input.sections.map((s) =>
      s.tables?.length || s.paragraphs?.length || s.chart || s.totals?.length
        ? s
        : { ...s, paragraphs: [m.empty] },
    ),
  });
}

/** Columns of the outcome metrics (counts then rates), after the given leading columns. */
export function metricColumns(): Column[] {
  const t = reportMessages.metrics;
  return [
    { key: "students", title: t.students, kind: "int", width: 1.4 },
    { key: "counted", title: t.studentsCounted, kind: "int", width: 1.4 },
    { key: "n5", title: t.n5, kind: "int", width: 0.9 },
    { key: "n4", title: t.n4, kind: "int", width: 0.9 },
    { key: "n3", title: t.n3, kind: "int", width: 0.9 },
    { key: "n2", title: t.n2, kind: "int", width: 0.9 },
    { key: "na", title: t.notAttested, kind: "int", width: 0.9 },
    { key: "exempt", title: t.exempt, kind: "int", width: 1.8 },
    { key: "noMark", title: t.noMark, kind: "int", width: 1.6 },
    { key: "success", title: t.successRate, kind: "percent", width: 2.1 },
    { key: "quality", title: t.qualityRate, kind: "percent", width: 1.7 },
    { key: "sou", title: t.sou, kind: "percent", width: 1.4 },
    { key: "mean", title: t.meanMark, kind: "decimal", width: 1.5 },
  ];
}

/** The metric cells of one row from its period marks (one per student; null = no mark). */
export function metricCells(marks: ReadonlyArray<MarkValue | null>): Row {
  const c = countOutcomes(marks);
  return {
    ...countsCells(c),
    mean: meanMark(marks.filter((v): v is MarkValue => v !== null).map((value) => ({ value }))),
  };
}

export function countsCells(c: OutcomeCounts): Row {
  return {
    students: c.students,
    counted: c.counted,
    n5: c.n5,
    n4: c.n4,
    n3: c.n3,
    n2: c.n2,
    na: c.nNotAttested,
    exempt: c.exempt,
    noMark: c.noMark,
    success: successRate(c),
    quality: qualityRate(c),
    sou: learningLevel(c),
  };
}

/**
 * A student's standing over all subjects of a period, as one mark for the class tables: н/а if any
 * subject is not attested, else the lowest graded mark (5 → отличник, 4 → хорошист, …); осв. when every
 * mark is an exemption or a pass/fail code; null with no marks.
 */
export function studentStanding(values: ReadonlyArray<MarkValue>): MarkValue | null {
  let lowest: number | null = null;
  let exempt = false;
  for (const raw of values) {
    const v = normalizeMark(raw);
    if (v === "н/а") return "н/а";
    if (typeof v === "number") lowest = lowest === null ? v : Math.min(lowest, v);
    else if (v !== null) exempt = true;
  }
  if (lowest !== null) return lowest;
  return exempt ? "осв" : null;
}

/** A numeric mark or null (for number cells of mark tables); codes come back as their text. */
export function markCell(value: MarkValue | null | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  const v = normalizeMark(value);
  if (typeof v === "number") return v;
  return v ?? String(value);
}

export function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function groupBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Share in percent, null when the whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part * 100) / whole;
}

/** The class teacher line of a class's parameters. */
export function classParameters(roster: Roster, classId: string): LabelledValue[] {
  const c = roster.classById.get(classId);
  if (!c) return [];
  const teacher = c.classTeacherId ? roster.personById.get(c.classTeacherId)?.name : undefined;
  return [
    { label: m.params.class, value: c.name },
    ...(teacher ? [{ label: m.params.classTeacher, value: teacher }] : []),
  ];
}

/** «01.10» for a date. */
export function dayMonth(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}`;
}

/** Level of education of a grade. */
export function levelOf(grade: number): keyof typeof m.levels {
  if (grade <= 4) return "primary";
  if (grade <= 9) return "basic";
  return "secondary";
}
