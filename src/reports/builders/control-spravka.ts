// Справка по итогам контроля (001 §5.2, §5.6): the deputy's monthly check drafted from the
// violations whose deadline fell in the month — purpose, findings by rule and by teacher, proposals.
import { DateTime } from "luxon";
import type { z } from "zod";
import { findRule } from "../../rules/registry.ts";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import { loadRoster, loadViolations, monthRange, nameOf, weekRange } from "../report-data.ts";
import { dayMonth, frame, groupBy } from "./common.ts";
import { reportBuilderMessages as m, monthName } from "./messages.ru.ts";
import { monthParamsSchema } from "./params.ts";

export const controlSpravkaParamsSchema = monthParamsSchema;

export async function buildControlSpravka(
  db: Db,
  schoolId: string,
  params: z.infer<typeof controlSpravkaParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const range = monthRange(params.month);
  const violations = await loadViolations(db, schoolId, range, roster.school.timezone);
  const s = m.spravka;
  const count = (list: typeof violations, status: string) => list.filter((v) => v.status === status).length;

  const byRule = groupBy(violations, (v) => v.ruleId);
  const ruleRows: Row[] = [...byRule]
    .map(([ruleId, list]) => ({
      rule: findRule(ruleId)?.title ?? ruleId,
      clause: list[0]?.clause ?? "",
      count: list.length,
      open: count(list, "open"),
      resolved: count(list, "resolved"),
      waived: count(list, "waived"),
    }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule, "ru"));

  const byTeacher = groupBy(violations, (v) => v.responsibleId ?? "");
  const teacherRows: Row[] = [...byTeacher]
    .map(([id, list]) => ({
      teacher: id ? nameOf(roster, id) : s.unknownTeacher,
      count: list.length,
      open: count(list, "open"),
      resolved: count(list, "resolved"),
      waived: count(list, "waived"),
    }))
    .sort((a, b) => b.count - a.count || a.teacher.localeCompare(b.teacher, "ru"));

  const tz = roster.school.timezone;
  const localDate = (d: Date) => DateTime.fromJSDate(d).setZone(tz).toISODate() ?? "";
  const weeks: string[] = [];
  for (
    let w = weekRange(range.from).from;
    w <= range.to;
    w = weekRange(DateTime.fromISO(w).plus({ days: 7 }).toISODate() ?? "").from
  )
    weeks.push(w);
  const perWeek = groupBy(violations, (v) => weekRange(localDate(v.deadline)).from);

  const proposals = [
    ...ruleRows.slice(0, 3).map((r) => s.proposalRule(String(r.rule), Number(r.count))),
    ...teacherRows
      .filter((r) => Number(r.open) > 0)
      .slice(0, 5)
      .map((r) => s.proposalTeacher(String(r.teacher), Number(r.open))),
  ];
  if (proposals.length === 0) proposals.push(s.proposalNone);
  proposals.push(s.proposalControl);
  const deputy = roster.persons.find((p) => p.role === "deputy");
  const open = count(violations, "open");

  return frame({
    kind: "control-spravka",
    school: roster.school,
    parameters: [{ label: m.params.month, value: monthName(params.month) }],
    sections: [
      { heading: s.purpose, paragraphs: [s.purposeText(monthName(params.month))] },
      {
        heading: s.findings,
        paragraphs: [s.findingsText(violations.length, open)],
        totals: [
          { label: m.col.total, value: violations.length },
          { label: m.col.open, value: open },
          { label: m.col.resolved, value: count(violations, "resolved") },
        ],
        chart: {
          kind: "bar",
          title: s.chart,
          categories: weeks.map((w) => `${dayMonth(w)}–${dayMonth(weekRange(w).to)}`),
          series: [{ name: m.col.count, values: weeks.map((w) => (perWeek.get(w) ?? []).length) }],
        },
      },
      {
        heading: s.byRule,
        tables: [
          {
            columns: [
              { key: "rule", title: m.col.rule, kind: "text", width: 7 },
              { key: "clause", title: m.col.clause, kind: "text", width: 2.5 },
              { key: "count", title: m.col.total, kind: "int", width: 1.3 },
              { key: "open", title: m.col.open, kind: "int", width: 1.6 },
              { key: "resolved", title: m.col.resolved, kind: "int", width: 1.5 },
              { key: "waived", title: m.col.waived, kind: "int", width: 1.2 },
            ],
            rows: ruleRows,
            totalsRow: {
              rule: m.totals,
              count: violations.length,
              open,
              resolved: count(violations, "resolved"),
              waived: count(violations, "waived"),
            },
          },
        ],
      },
      {
        heading: s.byTeacher,
        tables: [
          {
            columns: [
              { key: "teacher", title: m.col.teacher, kind: "text", width: 6 },
              { key: "count", title: m.col.total, kind: "int", width: 1.3 },
              { key: "open", title: m.col.open, kind: "int", width: 1.6 },
              { key: "resolved", title: m.col.resolved, kind: "int", width: 1.5 },
              { key: "waived", title: m.col.waived, kind: "int", width: 1.2 },
            ],
            rows: teacherRows,
          },
        ],
      },
      {
        heading: s.proposals,
        paragraphs: [...proposals.map((p, i) => `${i + 1}. ${p}`), s.signature(deputy?.name ?? "")],
      },
    ],
  });
}
