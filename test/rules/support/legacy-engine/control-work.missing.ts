// control-work.missing — 000 §6.2 ("наличию контрольных и текущих проверочных работ"), 001 §5.3: in
// every term each class (grade ≥ minGrade) must have at least one control or written work (control,
// written, test, lab, practical) in every subject it had lessons of. Judged once the term is over
// and a full read of the works after its last day shows none. One finding per class, subject, term.
import { z } from "zod";
import { workKindSchema } from "../../../../src/model/records.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import {
  appliesTo,
  byId,
  classLabel,
  classSubjectsIn,
  isTerm,
  missingProof,
  subjectLabel,
  teacherResolver,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const params = z.object({
  kinds: z.array(workKindSchema).min(1).default(["control", "written", "test", "lab", "practical"]),
  minGrade: z.number().int().min(1).max(11).default(2),
});

export const rule: Rule<typeof params> = {
  id: "control-work.missing",
  title: markRuleMessages.titleControlWorkMissing,
  clause: "000 §6.2",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const kinds = new Set(ctx.params.kinds);
    const [periods, works, lessons, classes, subjects, observation] = await Promise.all([
      data.periods(),
      data.works(),
      data.lessons(),
      data.classes(),
      data.subjects(),
      data.observation("works"),
    ]);
    const classesById = byId(classes);
    const subjectsById = byId(subjects);
    const teacherOf = teacherResolver(lessons);

    for (const term of periods.filter(isTerm)) {
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(term.end));
      const proof = missingProof(deadline, observation.lastFullReadAt, asOf);
      if (!proof) continue;
      const held = new Set<string>();
      for (const w of works) {
        if (kinds.has(w.kind) && w.date >= term.start && w.date <= term.end)
          held.add(`${w.classId}|${w.subjectId}`);
      }
      for (const [classId, bySubject] of classSubjectsIn(lessons, term)) {
        const grade = classesById.get(classId)?.grade;
        // Only the class's own terms (quarters in 2–9, semesters in 10–11).
        if (grade === undefined || grade < ctx.params.minGrade || !appliesTo(term, classId)) continue;
        for (const subjectId of bySubject.keys()) {
          if (held.has(`${classId}|${subjectId}`)) continue;
          ctx.report({
            entity: {
              kind: "class-subject-period",
              key: `${classId}|${subjectId}|${term.id}`,
              classId,
              subjectId,
              periodId: term.id,
            },
            responsibleId: teacherOf(classId, subjectId, term),
            deadline: deadline.toISOString(),
            evidence: proof,
            message: markRuleMessages.controlWorkMissing({
              className: classLabel(classesById, classId),
              subject: subjectLabel(subjectsById, subjectId),
              period: markRuleMessages.periodName(term.kind, term.number),
            }),
          });
        }
      }
    }
  },
};
