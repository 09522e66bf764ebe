// year.setup.late — 001 §3.1: the administrator creates the new school year "ежегодно до 1 июля";
// 001 §3.3 (004 §1.5): the deputy enters the periods, classes, plan and schedule "до 10 сентября".
// Provable parts:
// - creation: a year period seen only after the deadline (lastAbsentAt ≥ deadline, when the store
//   gives periods their evidence), or none starting that year although the previous year ended and
//   a full read of the periods after the deadline has none;
// - schedule: a class that studies this year (has lessons in it) but has no lesson dated between
//   the year's first day and the deadline while other classes do, shown by a full read of the
//   lessons after the deadline; or whose lessons of those days were all first seen after it.
// Dates are "MM-DD" and include that day (the demo's and DESIGN's reading of «до»).
import { z } from "zod";
import type { Period } from "../../../../src/model/records.ts";
import type { Evidence, Rule } from "../../../../src/rules/types.ts";
import { type EntryEvidence, judgeEntry } from "./evidence.ts";
import { byId, classLabel, earliestLate, entryOf, firstWithRole, missingProof } from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected "MM-DD"');

const params = z.object({
  /** The new year exists by this day of the calendar year it starts in (001 §3.1: 1 July). */
  createBy: monthDay.default("07-01"),
  /** Periods, classes, plan and schedule by this day of the year's start (001 §3.3: 10 September). */
  setupBy: monthDay.default("09-10"),
});

/** A period as the store may give it, with its evidence of time when it has one. */
type PeriodSeen = Period & { firstSeenAt?: string; lastAbsentAt?: string };

function yearLabel(startYear: number): string {
  return `${startYear}/${startYear + 1}`;
}

export const rule: Rule<typeof params> = {
  id: "year.setup.late",
  title: markRuleMessages.titleYearSetupLate,
  clause: "001 §3.1, §3.3",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const [periods, classes, lessons, persons, periodsObserved, lessonsObserved] = await Promise.all([
      data.periods() as Promise<PeriodSeen[]>,
      data.classes(),
      data.lessons(),
      data.persons(),
      data.observation("periods"),
      data.observation("lessons"),
    ]);
    const classesById = byId(classes);
    const admin = firstWithRole(persons, ["admin", "deputy", "director"]);
    const deputy = firstWithRole(persons, ["deputy", "admin", "director"]);
    const years = periods.filter((p) => p.kind === "year").sort((a, b) => a.start.localeCompare(b.start));
    const format = (d: Date) => markRuleMessages.deadline(d, calendar.timezone);

    // Creation of each year, and of the year after the last one once its deadline passed.
    const startYears = new Set(years.map((y) => Number(y.start.slice(0, 4))));
    for (const y of years) {
      const startYear = Number(y.start.slice(0, 4));
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(`${startYear}-${ctx.params.createBy}`));
      if (y.firstSeenAt === undefined) continue;
      const entry: EntryEvidence = { present: true, firstSeenAt: y.firstSeenAt };
      if (y.lastAbsentAt !== undefined) entry.lastAbsentAt = y.lastAbsentAt;
      const verdict = judgeEntry(deadline, entry, periodsObserved.lastFullReadAt, asOf);
      if (verdict.status === "late") reportCreation(startYear, y.id, deadline, verdict.evidence);
    }
    const last = years[years.length - 1];
    if (last) {
      const next = Number(last.end.slice(0, 4));
      if (!startYears.has(next)) {
        const deadline = await ctx.shiftForOutages(calendar.endOfDay(`${next}-${ctx.params.createBy}`));
        const proof = missingProof(deadline, periodsObserved.lastFullReadAt, asOf);
        if (proof) reportCreation(next, undefined, deadline, proof);
      }
    }

    // The schedule of each class by the setup deadline.
    for (const y of years) {
      const startYear = Number(y.start.slice(0, 4));
      const setupDate = `${startYear}-${ctx.params.setupBy}`;
      if (setupDate < y.start) continue;
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(setupDate));
      if (deadline.getTime() >= asOf.getTime()) continue;
      const studying = new Set<string>();
      const early = new Map<string, EntryEvidence[]>();
      for (const l of lessons) {
        if (l.date < y.start || l.date > y.end) continue;
        studying.add(l.classId);
        if (l.date > setupDate) continue;
        const list = early.get(l.classId) ?? [];
        list.push(entryOf(l));
        early.set(l.classId, list);
      }
      if (early.size === 0) continue; // no class had lessons by then: nothing shows school had begun
      for (const classId of [...studying].sort()) {
        const entries = early.get(classId);
        let evidence: Evidence | null;
        let missing: boolean;
        if (!entries) {
          evidence = missingProof(deadline, lessonsObserved.lastFullReadAt, asOf);
          missing = true;
        } else {
          const anyOnTime = entries.some(
            (e) => judgeEntry(deadline, e, lessonsObserved.lastFullReadAt, asOf).status === "on-time",
          );
          evidence = anyOnTime ? null : earliestLate(entries, deadline, lessonsObserved.lastFullReadAt, asOf);
          missing = false;
        }
        if (!evidence) continue;
        const p = {
          year: yearLabel(startYear),
          className: classLabel(classesById, classId),
          deadline: format(deadline),
        };
        ctx.report({
          entity: { kind: "school-year", key: `${y.id}|schedule|${classId}`, periodId: y.id, classId },
          responsibleId: deputy,
          deadline: deadline.toISOString(),
          evidence,
          message: missing ? markRuleMessages.scheduleNotSet(p) : markRuleMessages.scheduleLate(p),
        });
      }
    }

    function reportCreation(
      startYear: number,
      periodId: string | undefined,
      deadline: Date,
      evidence: Evidence,
    ): void {
      ctx.report({
        entity: {
          kind: "school-year",
          key: `${periodId ?? yearLabel(startYear)}|created`,
          ...(periodId ? { periodId } : {}),
        },
        responsibleId: admin,
        deadline: deadline.toISOString(),
        evidence,
        message: markRuleMessages.yearNotCreated({ year: yearLabel(startYear), deadline: format(deadline) }),
      });
    }
  },
};
