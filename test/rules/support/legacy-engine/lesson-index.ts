// What the lesson rules share: who is responsible for a lesson's entries (the substitute when there is
// one, 001 §3.5), how to name it in Russian, and when the class's last lesson of that day ends.
import type { SchoolClass } from "../../../../src/model/records.ts";
import type { LessonRow, RuleData } from "../../../../src/rules/types.ts";
import type { LessonLabel } from "./messages.ru.ts";

export interface LessonIndex {
  classes: Map<string, SchoolClass>;
  subjectNames: Map<string, string>;
  /** `${classId}|${date}` → "HH:MM" end of the class's last lesson that day. */
  lastEnd: Map<string, string>;
  label(l: LessonRow): LessonLabel;
}

/** The teacher who must make the lesson's entries: the substitute if the lesson was substituted. */
export function lessonAuthor(l: Pick<LessonRow, "teacherId" | "substituteTeacherId">): string {
  return l.substituteTeacherId ?? l.teacherId;
}

export function classLabel(c: SchoolClass | undefined, fallback: string): string {
  return c ? `${c.grade}${c.letter}` : fallback;
}

export async function indexLessons(data: RuleData): Promise<LessonIndex> {
  const [classes, subjects, lessons] = await Promise.all([data.classes(), data.subjects(), data.lessons()]);
  const classMap = new Map(classes.map((c) => [c.id, c]));
  const subjectNames = new Map(subjects.map((s) => [s.id, s.name]));
  const lastEnd = new Map<string, string>();
  for (const l of lessons) {
    const k = `${l.classId}|${l.date}`;
    const prev = lastEnd.get(k);
    if (prev === undefined || l.end > prev) lastEnd.set(k, l.end);
  }
  return {
    classes: classMap,
    subjectNames,
    lastEnd,
    label: (l) => ({
      subject: subjectNames.get(l.subjectId) ?? l.subjectId,
      className: classLabel(classMap.get(l.classId), l.classId),
      date: l.date,
      number: l.number,
    }),
  };
}

/** Lesson entity of a finding: the key is the lesson id. */
export function lessonEntity(l: LessonRow) {
  return {
    kind: "lesson" as const,
    key: l.id,
    lessonId: l.id,
    classId: l.classId,
    subjectId: l.subjectId,
  };
}
