// period-mark.unjustified — 003 §5.1–5.2 ("итоговые оценки … должны быть обоснованы"), 000 §6.2: a
// term mark must follow from the student's current marks of the term: the mean weighted by each
// mark's weight, turned into a mark by the school's own cut-offs (2.5/3.5/4.5, 2.6/3.6/4.6,
// 2.65/3.65/4.65 …) with a mean exactly on a cut-off rounded up ("in-favour") or not ("strict").
// A year mark must follow from the term marks the same way (unweighted). Codes (н/а, осв, зч, нз)
// are neither judged nor averaged. `meanTolerance` accepts any mark that a mean within ± that
// distance would give.
import { z } from "zod";
import { addDays } from "../../../../src/calendar/index.ts";
import type { Period } from "../../../../src/model/records.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import {
  byId,
  classLabel,
  isTerm,
  markDate,
  numericMark,
  subjectLabel,
  teacherResolver,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const EPS = 1e-9;

const params = z.object({
  /** The lowest mean that gives 3, 4 and 5; below the first, 2. */
  cutoffs: z
    .tuple([z.number(), z.number(), z.number()])
    .refine(([a, b, c]) => a > 1 && a < b && b < c && c < 5, "cut-offs must rise between 1 and 5")
    .default([2.5, 3.5, 4.5]),
  /** "in-favour": a mean exactly on a cut-off gives the higher mark; "strict": it must exceed it. */
  rounding: z.enum(["in-favour", "strict"]).default("in-favour"),
  /** Accept a mark that any mean within ± this distance of the actual one would give. */
  meanTolerance: z.number().min(0).max(2).default(0),
  /** Fewer current marks than this: the mark is not judged (accumulation is another rule). */
  minMarks: z.number().int().min(1).default(1),
  /** Days after the period end the mark is due (003 §5.4): the finding's deadline. */
  dueDays: z.number().int().min(0).max(60).default(4),
});
type Params = z.infer<typeof params>;

/** The mark a mean gives under the school's cut-offs. */
export function markForMean(mean: number, p: Pick<Params, "cutoffs" | "rounding">): number {
  const reaches = (cut: number) => (p.rounding === "in-favour" ? mean >= cut - EPS : mean > cut + EPS);
  const [c3, c4, c5] = p.cutoffs;
  if (reaches(c5)) return 5;
  if (reaches(c4)) return 4;
  if (reaches(c3)) return 3;
  return 2;
}

/** The marks a mean within ± tolerance gives, lowest and highest. */
export function acceptedMarks(
  mean: number,
  p: Pick<Params, "cutoffs" | "rounding" | "meanTolerance">,
): [number, number] {
  return [markForMean(mean - p.meanTolerance, p), markForMean(mean + p.meanTolerance, p)];
}

interface Mean {
  sum: number;
  weight: number;
  count: number;
}

export const rule: Rule<typeof params> = {
  id: "period-mark.unjustified",
  title: markRuleMessages.titlePeriodMarkUnjustified,
  clause: "003 §5.1–5.2",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const p = ctx.params;
    const [periods, periodMarks, marks, works, lessons, persons, classes, subjects] = await Promise.all([
      data.periods(),
      data.periodMarks(),
      data.marks(),
      data.works(),
      data.lessons(),
      data.persons(),
      data.classes(),
      data.subjects(),
    ]);
    const today = calendar.dateOf(asOf);
    const periodsById = byId(periods);
    const worksById = byId(works);
    const lessonsById = byId(lessons);
    const classesById = byId(classes);
    const subjectsById = byId(subjects);
    const teacherOf = teacherResolver(lessons);
    const classOf = new Map<string, string>();
    for (const person of persons)
      if (person.role === "student" && person.classId) classOf.set(person.id, person.classId);
    const terms = periods.filter(isTerm);

    // Weighted current marks per student, subject and date-ordered term.
    const termMeans = new Map<string, Mean>();
    for (const m of marks) {
      const value = numericMark(m.value);
      if (value === null) continue;
      const date = markDate(m, worksById, lessonsById);
      if (!date) continue;
      for (const t of terms) {
        if (date < t.start || date > t.end) continue;
        add(termMeans, `${m.studentId}|${m.subjectId}|${t.id}`, value, m.weight ?? 1);
      }
    }
    // Term marks per student and subject, for the year marks.
    const termMarks = new Map<string, { periodId: string; value: number }[]>();
    for (const pm of periodMarks) {
      const term = periodsById.get(pm.periodId);
      const value = numericMark(pm.value);
      if (!term || !isTerm(term) || value === null) continue;
      const key = `${pm.studentId}|${pm.subjectId}`;
      const list = termMarks.get(key) ?? [];
      list.push({ periodId: term.id, value });
      termMarks.set(key, list);
    }

    for (const pm of periodMarks) {
      const period = periodsById.get(pm.periodId);
      const actual = numericMark(pm.value);
      if (!period || actual === null || period.end >= today) continue;
      let mean: Mean | undefined;
      let basis: string;
      if (isTerm(period)) {
        mean = termMeans.get(`${pm.studentId}|${pm.subjectId}|${period.id}`);
        basis = "weighted mean of the term's current marks";
      } else {
        mean = yearMean(termMarks.get(`${pm.studentId}|${pm.subjectId}`) ?? [], period, periodsById);
        basis = "mean of the year's term marks";
      }
      if (!mean || mean.count < p.minMarks || mean.weight <= 0) continue;
      const value = mean.sum / mean.weight;
      const [low, high] = acceptedMarks(value, p);
      if (actual >= low && actual <= high) continue;
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(addDays(period.end, p.dueDays)));
      const classId = classOf.get(pm.studentId);
      ctx.report({
        entity: {
          kind: "student-subject-period",
          key: `${pm.studentId}|${pm.subjectId}|${period.id}`,
          studentId: pm.studentId,
          subjectId: pm.subjectId,
          periodId: period.id,
          ...(classId ? { classId } : {}),
        },
        responsibleId: classId ? teacherOf(classId, pm.subjectId, period) : null,
        deadline: deadline.toISOString(),
        evidence: {
          kind: "value",
          expected: low === high ? String(low) : `${low}–${high}`,
          actual: String(actual),
          basis:
            `${basis}: ${value.toFixed(2)} of ${mean.count} mark(s); cut-offs ${p.cutoffs.join("/")}, ` +
            `${p.rounding}, tolerance ${p.meanTolerance}`,
        },
        message: markRuleMessages.periodMarkUnjustified({
          className: classLabel(classesById, classId),
          subject: subjectLabel(subjectsById, pm.subjectId),
          period: markRuleMessages.periodName(period.kind, period.number),
        }),
      });
    }
  },
};

function add(means: Map<string, Mean>, key: string, value: number, weight: number): void {
  const m = means.get(key) ?? { sum: 0, weight: 0, count: 0 };
  m.sum += value * weight;
  m.weight += weight;
  m.count++;
  means.set(key, m);
}

/** The plain mean of the finest terms inside the year (quarters rather than the semesters holding them). */
function yearMean(
  marks: readonly { periodId: string; value: number }[],
  year: Period,
  periodsById: ReadonlyMap<string, Period>,
): Mean | undefined {
  const inside = marks
    .map((m) => ({ ...m, term: periodsById.get(m.periodId)! }))
    .filter((m) => m.term.start >= year.start && m.term.end <= year.end);
  const finest = inside.filter(
    (m) =>
      !inside.some(
        (o) => o.term.id !== m.term.id && o.term.start >= m.term.start && o.term.end <= m.term.end,
      ),
  );
  if (finest.length === 0) return undefined;
  return { sum: finest.reduce((s, m) => s + m.value, 0), weight: finest.length, count: finest.length };
}
