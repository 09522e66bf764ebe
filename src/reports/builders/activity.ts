// Monthly user activity (000 §7.1, 003 §8.1, 004 §2.4): teachers' logins and entries, parents' diary views.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import { loadActivity, loadRoster, monthRange, studentsOf } from "../report-data.ts";
import { frame, groupBy, percent, sum } from "./common.ts";
import { reportBuilderMessages as m, monthName } from "./messages.ru.ts";
import { monthParamsSchema } from "./params.ts";

export const activityParamsSchema = monthParamsSchema;

export async function buildActivity(
  db: Db,
  schoolId: string,
  params: z.infer<typeof activityParamsSchema>,
): Promise<Report> {
  const range = monthRange(params.month);
  const roster = await loadRoster(db, schoolId);
  const activity = await loadActivity(db, schoolId, range);
  const byPerson = groupBy(activity, (a) => a.personId);
  const staffRoles = new Set(["teacher", "deputy", "director", "coordinator", "admin"]);

  const teacherRows: Row[] = roster.persons
    .filter((p) => p.role === "teacher")
    .map((p) => {
      const days = byPerson.get(p.id) ?? [];
      return {
        teacher: p.name,
        days: days.filter((d) => d.logins > 0 || d.entries > 0).length,
        logins: sum(days.map((d) => d.logins)),
        entries: sum(days.map((d) => d.entries)),
      };
    });
  const teachersActive = teacherRows.filter((r) => Number(r.logins) > 0 || Number(r.entries) > 0).length;

  const parentRows: Row[] = [];
  let parentsTotal = 0;
  let parentsActiveTotal = 0;
  let viewsTotal = 0;
  for (const c of roster.classes) {
    const children = new Set(studentsOf(roster, c.id).map((s) => s.id));
    const parents = roster.persons.filter(
      (p) => p.role === "parent" && p.childIds.some((id) => children.has(id)),
    );
    if (parents.length === 0) continue;
    const views = parents.map((p) => sum((byPerson.get(p.id) ?? []).map((d) => d.diaryViews)));
    const active = views.filter((v) => v > 0).length;
    parentsTotal += parents.length;
    parentsActiveTotal += active;
    viewsTotal += sum(views);
    parentRows.push({
      class: c.name,
      parents: parents.length,
      active,
      share: percent(active, parents.length),
      views: sum(views),
    });
  }
  const staffOther = roster.persons.filter((p) => staffRoles.has(p.role) && p.role !== "teacher");

  return frame({
    kind: "activity",
    school: roster.school,
    parameters: [{ label: m.params.month, value: monthName(params.month) }],
    sections: [
      {
        heading: m.activity.teachers,
        tables: [
          {
            columns: [
              { key: "teacher", title: m.col.teacher, kind: "text", width: 5 },
              { key: "days", title: m.col.activeDays, kind: "int", width: 2 },
              { key: "logins", title: m.col.logins, kind: "int", width: 2 },
              { key: "entries", title: m.col.entries, kind: "int", width: 2 },
            ],
            rows: teacherRows,
            totalsRow: {
              teacher: m.totals,
              logins: sum(teacherRows.map((r) => Number(r.logins))),
              entries: sum(teacherRows.map((r) => Number(r.entries))),
            },
          },
          ...(staffOther.length
            ? [
                {
                  caption: "Администрация",
                  columns: [
                    { key: "name", title: "Сотрудник", kind: "text" as const, width: 5 },
                    { key: "logins", title: m.col.logins, kind: "int" as const, width: 2 },
                    { key: "entries", title: m.col.entries, kind: "int" as const, width: 2 },
                  ],
                  rows: staffOther.map((p) => ({
                    name: p.name,
                    logins: sum((byPerson.get(p.id) ?? []).map((d) => d.logins)),
                    entries: sum((byPerson.get(p.id) ?? []).map((d) => d.entries)),
                  })),
                },
              ]
            : []),
        ],
        chart:
          teacherRows.length > 0
            ? {
                kind: "bar",
                title: m.activity.chart,
                categories: teacherRows.map((r) => shortName(String(r.teacher))),
                series: [{ name: m.col.logins, values: teacherRows.map((r) => Number(r.logins)) }],
              }
            : undefined,
        totals: [{ label: m.activity.teachersActive, value: `${teachersActive} из ${teacherRows.length}` }],
      },
      {
        heading: m.activity.parents,
        tables: [
          {
            columns: [
              { key: "class", title: m.col.class, kind: "text", width: 2 },
              { key: "parents", title: m.col.parents, kind: "int", width: 2 },
              { key: "active", title: m.col.parentsActive, kind: "int", width: 2 },
              { key: "share", title: m.col.parentsActiveShare, kind: "percent", width: 2 },
              { key: "views", title: m.col.diaryViews, kind: "int", width: 2 },
            ],
            rows: parentRows,
            totalsRow: {
              class: m.totals,
              parents: parentsTotal,
              active: parentsActiveTotal,
              share: percent(parentsActiveTotal, parentsTotal),
              views: viewsTotal,
            },
          },
        ],
        totals: [
          { label: m.activity.parentsActive, value: `${parentsActiveTotal} из ${parentsTotal}` },
          { label: m.activity.diaryViews, value: viewsTotal },
        ],
      },
    ],
  });
}

/** «Иванова Мария Петровна» → «Иванова М. П.» (chart labels must be short). */
export function shortName(name: string): string {
  const [last, ...rest] = name.split(/\s+/);
  return [last, ...rest.map((p) => `${p[0]}.`)].join(" ");
}
