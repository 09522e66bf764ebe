// parents.monitoring — 002 §8: "Родители обязаны не реже двух раз в неделю контролировать текущую
// успеваемость обучающихся, о чём классный руководитель и администрация школы имеют возможность
// получать сведения". Counted from activity.diaryViews per Monday–Sunday week. A week is judged only
// when it is fully observed: it is over, a full read of the activity came after its Sunday, the
// platform reported activity of anyone in it, and the school worked at least `minSchoolDays` of it
// (no monitoring asked in the holidays). A platform that never reports diaryViews proves nothing, and
// a parent's activity row without diaryViews is unknown, not zero: that parent's week is not judged
// unless the views it does report already reach the minimum.
// The parent is not "responsible" in the escalation sense: the finding goes to the class teacher of
// the parent's child (001 §3.4: the class teacher informs parents through the diary), who reminds.
import { z } from "zod";
import { addDays } from "../../../../src/calendar/index.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import { byId, classLabel, missingProof, weekStartOf } from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const params = z.object({
  minViews: z.number().int().min(1).default(2),
  /** Weeks with fewer working days than this (holidays) are not judged. */
  minSchoolDays: z.number().int().min(0).max(7).default(3),
});

export const rule: Rule<typeof params> = {
  id: "parents.monitoring",
  title: markRuleMessages.titleParentsMonitoring,
  clause: "002 §8",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const { minViews, minSchoolDays } = ctx.params;
    const [activity, persons, classes, periods, observation] = await Promise.all([
      data.activity(),
      data.persons(),
      data.classes(),
      data.periods(),
      data.observation("activity"),
    ]);
    if (!activity.some((a) => a.diaryViews !== undefined)) return;
    const personsById = byId(persons);
    const classesById = byId(classes);

    const coveredWeeks = new Set<string>();
    const views = new Map<string, number>(); // `${parentId}|${weekStart}`
    const unknown = new Set<string>(); // parent-weeks with a row that does not say how many views
    for (const a of activity) {
      const week = weekStartOf(a.date);
      coveredWeeks.add(week);
      const person = personsById.get(a.personId);
      if (person?.role !== "parent") continue;
      const key = `${a.personId}|${week}`;
      if (a.diaryViews === undefined) unknown.add(key);
      else views.set(key, (views.get(key) ?? 0) + a.diaryViews);
    }

    const parents = persons.filter((p) => p.role === "parent").sort((a, b) => a.id.localeCompare(b.id));
    const childClassOf = (parentId: string): string | undefined => {
      const children = [...(personsById.get(parentId)?.childIds ?? [])].sort();
      for (const childId of children) {
        const classId = personsById.get(childId)?.classId;
        if (classId) return classId;
      }
      return undefined;
    };

    for (const week of [...coveredWeeks].sort()) {
      const sunday = addDays(week, 6);
      if (!periods.some((p) => p.start <= sunday && p.end >= week)) continue;
      let schoolDays = 0;
      for (let i = 0; i < 7; i++) if (calendar.isSchoolDay(addDays(week, i))) schoolDays++;
      if (schoolDays < minSchoolDays) continue;
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(sunday));
      const proof = missingProof(deadline, observation.lastFullReadAt, asOf);
      if (!proof) continue;
      for (const parent of parents) {
        const counted = views.get(`${parent.id}|${week}`) ?? 0;
        if (counted >= minViews || unknown.has(`${parent.id}|${week}`)) continue;
        const classId = childClassOf(parent.id);
        ctx.report({
          entity: {
            kind: "parent-week",
            key: `${parent.id}|${week}`,
            personId: parent.id,
            ...(classId ? { classId } : {}),
          },
          responsibleId: classId ? (classesById.get(classId)?.classTeacherId ?? null) : null,
          deadline: deadline.toISOString(),
          evidence: { kind: "count", counted, required: minViews, observedAt: proof.observedAt },
          message: markRuleMessages.parentsMonitoring({
            weekStart: week,
            weekEnd: sunday,
            className: classLabel(classesById, classId),
            views: counted,
            required: minViews,
          }),
        });
      }
    }
  },
};
