// period-mark.late — 003 §5.4: "Итоговые оценки выставляются не позднее 4-х дней после окончания
// учебного периода". Due by the end of the N-th calendar day after the period's last day. A period
// mark entered later is proven by its time; one never entered, by a full read after the deadline.
// Expected: every student of a class (grade ≥ minGrade) in every subject the class had lessons of
// in the period, for the class's own periods only (quarters in 2–9, semesters in 10–11), and only
// from pupils known to be in the class the whole period (one who joined later is not owed it). Only
// what the journal held as of the check's moment counts. One finding per student, subject and period.
import { z } from "zod";
import { addDays } from "../../../../src/calendar/index.ts";
import type { Period } from "../../../../src/model/records.ts";
import type { Evidence, PeriodMarkRow, Rule } from "../../../../src/rules/types.ts";
import { judgeEntry } from "./evidence.ts";
import {
  appliesTo,
  byId,
  classLabel,
  classRosters,
  enrolledWithin,
  entryOf,
  knownAsOf,
  missingProof,
  subjectLabel,
  teacherResolver,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const params = z.object({
  days: z.number().int().min(0).max(60).default(4),
  unit: z.enum(["days", "working-days"]).default("days"),
  /** No period marks in grade 1 (001 §2.10). */
  minGrade: z.number().int().min(1).max(11).default(2),
});

export const rule: Rule<typeof params> = {
  id: "period-mark.late",
  title: markRuleMessages.titlePeriodMarkLate,
  clause: "003 §5.4",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const { days, unit, minGrade } = ctx.params;
    const [periods, allPeriodMarks, persons, classes, subjects, allLessons, enrollments, observation] =
      await Promise.all([
        data.periods(),
        data.periodMarks(),
        data.persons(),
        data.classes(),
        data.subjects(),
        data.lessons(),
        data.enrollments(),
        data.observation("periodMarks"),
      ]);
    const periodMarks = allPeriodMarks.filter((pm) => knownAsOf(pm, asOf));
    const lessons = allLessons.filter((l) => knownAsOf(l, asOf));
    const classesById = byId(classes);
    const subjectsById = byId(subjects);
    const teacherOf = teacherResolver(lessons);
    const classOf = new Map<string, string>();
    for (const p of persons) if (p.role === "student" && p.classId) classOf.set(p.id, p.classId);
    const rosters = classRosters(persons, enrollments);
    /** The pupils known to be in the class for the whole period. */
    const owing = (classId: string, period: Period): string[] => {
      const ids = new Set<string>();
      for (const e of rosters.get(classId) ?? []) {
        const within = enrolledWithin(e, period);
        if (within && within.start === period.start && within.end === period.end) ids.add(e.studentId);
      }
      return [...ids].sort();
    };
    const marksByKey = new Map<string, PeriodMarkRow>();
    for (const pm of periodMarks) marksByKey.set(`${pm.studentId}|${pm.subjectId}|${pm.periodId}`, pm);

    const report = (
      period: Period,
      studentId: string,
      subjectId: string,
      deadline: Date,
      evidence: Evidence,
      inClass?: string,
    ) => {
      const classId = inClass ?? classOf.get(studentId);
      ctx.report({
        entity: {
          kind: "student-subject-period",
          key: `${studentId}|${subjectId}|${period.id}`,
          studentId,
          subjectId,
          periodId: period.id,
          ...(classId ? { classId } : {}),
        },
        responsibleId: classId ? teacherOf(classId, subjectId, period) : null,
        deadline: deadline.toISOString(),
        evidence,
        message: markRuleMessages.periodMarkLate({
          className: classLabel(classesById, classId),
          subject: subjectLabel(subjectsById, subjectId),
          period: markRuleMessages.periodName(period.kind, period.number),
          deadline: markRuleMessages.deadline(deadline, calendar.timezone),
          missing: evidence.kind === "missing",
        }),
      });
    };

    for (const period of periods) {
      const due = unit === "days" ? addDays(period.end, days) : calendar.addWorkingDays(period.end, days);
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(due));
      if (deadline.getTime() >= asOf.getTime()) continue;

      // Entered, but late.
      for (const pm of periodMarks) {
        if (pm.periodId !== period.id) continue;
        const verdict = judgeEntry(deadline, entryOf(pm), observation.lastFullReadAt, asOf);
        if (verdict.status === "late") report(period, pm.studentId, pm.subjectId, deadline, verdict.evidence);
      }

      // Never entered: the class studied the subject in the period, its student has no mark.
      const proof = missingProof(deadline, observation.lastFullReadAt, asOf);
      if (!proof) continue;
      const studied = new Set<string>();
      for (const l of lessons)
        if (l.date >= period.start && l.date <= period.end) studied.add(`${l.classId}|${l.subjectId}`);
      for (const pair of [...studied].sort()) {
        const [classId, subjectId] = pair.split("|");
        const grade = classesById.get(classId)?.grade;
        if (grade === undefined || grade < minGrade || !appliesTo(period, classId)) continue;
        for (const studentId of owing(classId, period)) {
          if (marksByKey.has(`${studentId}|${subjectId}|${period.id}`)) continue;
          report(period, studentId, subjectId, deadline, proof, classId);
        }
      }
    }
  },
};
