// marks.accumulation — 003 §5.2 ("наличие количества оценок в установленном порядке"), 001 §5.2
// ("накопляемость оценок"): at the end of a term every student must have at least the minimum
// number of marks 1–5 for the subject's weekly load (codes н/а, осв, зч, нз do not count; a student
// with «осв» in the subject and term is exempt). Judged once the term is over and a full read of
// the marks after its last day shows the count. One finding per student, subject and term. Terms are
// the class's own (quarters in 2–9, semesters in 10–11); a pupil known in the class for only part of
// the term owes the minimum in proportion to the subject's lessons held while there (rounded down);
// only marks in the journal as of the check's moment count.
import { z } from "zod";
import type { Rule } from "../../../../src/rules/types.ts";
import {
  appliesTo,
  byId,
  classLabel,
  classRosters,
  classSubjectsIn,
  enrolledWithin,
  isTerm,
  knownAsOf,
  markDate,
  missingProof,
  numericMark,
  subjectLabel,
  teacherResolver,
  weeklyHours,
  weeksOf,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const minimumSchema = z.object({
  /** This row applies up to this many lessons a week; the row without it applies above all others. */
  maxHoursPerWeek: z.number().positive().optional(),
  marks: z.number().int().min(0),
});

const params = z.object({
  /** The demo and default school act: 3 marks for up to 2 lessons a week, 5 for more. */
  minimums: z
    .array(minimumSchema)
    .min(1)
    .default([{ maxHoursPerWeek: 2, marks: 3 }, { marks: 5 }]),
  minGrade: z.number().int().min(1).max(11).default(2),
});
type Minimum = z.infer<typeof minimumSchema>;

/** The minimum number of marks for a weekly load: the tightest row that covers it. */
export function requiredMarks(hoursPerWeek: number, minimums: readonly Minimum[]): number {
  const bounded = minimums
    .filter((m) => m.maxHoursPerWeek !== undefined)
    .sort((a, b) => (a.maxHoursPerWeek ?? 0) - (b.maxHoursPerWeek ?? 0));
  const row =
    bounded.find((m) => hoursPerWeek <= (m.maxHoursPerWeek ?? 0)) ??
    minimums.find((m) => m.maxHoursPerWeek === undefined);
  return row?.marks ?? bounded[bounded.length - 1]?.marks ?? 0;
}

function spanDays(s: { start: string; end: string }): number {
  return Date.parse(s.end) - Date.parse(s.start);
}

export const rule: Rule<typeof params> = {
  id: "marks.accumulation",
  title: markRuleMessages.titleAccumulation,
  clause: "003 §5.2",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const { minimums, minGrade } = ctx.params;
    const [
      periods,
      allMarks,
      periodMarks,
      works,
      lessons,
      persons,
      classes,
      subjects,
      enrollments,
      observation,
    ] = await Promise.all([
      data.periods(),
      data.marks(),
      data.periodMarks(),
      data.works(),
      data.lessons(),
      data.persons(),
      data.classes(),
      data.subjects(),
      data.enrollments(),
      data.observation("marks"),
    ]);
    const marks = allMarks.filter((m) => knownAsOf(m, asOf));
    const worksById = byId(works);
    const lessonsById = byId(lessons);
    const classesById = byId(classes);
    const subjectsById = byId(subjects);
    const teacherOf = teacherResolver(lessons);
    const rosters = classRosters(persons, enrollments);
    const exempt = new Set<string>();
    for (const pm of periodMarks.filter((x) => knownAsOf(x, asOf)))
      if (pm.value === "осв") exempt.add(`${pm.studentId}|${pm.subjectId}|${pm.periodId}`);
    const dated = marks.map((m) => ({ mark: m, date: markDate(m, worksById, lessonsById) }));

    for (const term of periods.filter(isTerm)) {
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(term.end));
      const proof = missingProof(deadline, observation.lastFullReadAt, asOf);
      if (!proof) continue;
      const counts = new Map<string, number>();
      for (const { mark, date } of dated) {
        if (!date || date < term.start || date > term.end) continue;
        const key = `${mark.studentId}|${mark.subjectId}`;
        if (mark.value === "осв") exempt.add(`${key}|${term.id}`);
        if (numericMark(mark.value) !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [classId, bySubject] of classSubjectsIn(lessons, term)) {
        const grade = classesById.get(classId)?.grade;
        if (grade === undefined || grade < minGrade || !appliesTo(term, classId)) continue;
        // Each pupil's known span in the class within the term (the longest, if listed twice).
        const spans = new Map<string, { start: string; end: string }>();
        for (const e of rosters.get(classId) ?? []) {
          const within = enrolledWithin(e, term);
          const prior = spans.get(e.studentId);
          if (within && (!prior || spanDays(within) > spanDays(prior))) spans.set(e.studentId, within);
        }
        const classWeeks = weeksOf(bySubject.values());
        for (const [subjectId, subjectLessons] of bySubject) {
          const hours = weeklyHours(subjectLessons, classWeeks);
          const fullRequired = requiredMarks(hours, minimums);
          for (const [studentId, span] of [...spans].sort(([a], [b]) => a.localeCompare(b))) {
            if (exempt.has(`${studentId}|${subjectId}|${term.id}`)) continue;
            const held = subjectLessons.filter((l) => l.date >= span.start && l.date <= span.end).length;
            const required = Math.floor((fullRequired * held) / subjectLessons.length);
            const counted = counts.get(`${studentId}|${subjectId}`) ?? 0;
            if (counted >= required) continue;
            ctx.report({
              entity: {
                kind: "student-subject-period",
                key: `${studentId}|${subjectId}|${term.id}`,
                studentId,
                subjectId,
                classId,
                periodId: term.id,
              },
              responsibleId: teacherOf(classId, subjectId, term),
              deadline: deadline.toISOString(),
              evidence: { kind: "count", counted, required, observedAt: proof.observedAt },
              message: markRuleMessages.accumulation({
                className: classLabel(classesById, classId),
                subject: subjectLabel(subjectsById, subjectId),
                period: markRuleMessages.periodName(term.kind, term.number),
                counted,
                required,
              }),
            });
          }
        }
      }
    }
  },
};
