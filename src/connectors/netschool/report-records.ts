// NetSchool report rows → canonical records: StudentGrades «Дата выставления» as a mark's
// `recordedOn`, StudentTotal's day cells as attendance of the pupil's lessons that day, its «Итог»
// columns as period marks.
import type { Attendance, Lesson, Mark, PeriodMark } from "../../model/records.ts";
import type { RejectedRecord } from "../types.ts";
import type { GradeRow, TotalSubject } from "./report-html.ts";

/** Absence codes of the reports (nm17 v4.0.3 `data.py`; vkrya `SPECIAL_MARK_DESCRIPTIONS`). */
export const ATTENDANCE_CODES: Record<string, Attendance["status"]> = {
  ОТ: "absent", // отсутствовал
  Н: "absent",
  НП: "absent", // неуважительная причина
  УП: "excused", // уважительная причина
  Б: "ill", // болел
  ОП: "late", // опоздал
  ОСВ: "excused", // освобождён
};

const MARK_CODES: Record<string, Mark["value"]> = { "н/а": "н/а", на: "н/а", осв: "осв", зч: "зч", нз: "нз" };

/** The key a diary mark and a StudentGrades row share: pupil, subject, lesson day, type, value. */
export function gradeKey(
  pupilId: string,
  subjectId: string,
  lessonDate: string,
  type: string,
  value: string,
) {
  return `${pupilId}|${subjectId}|${lessonDate}|${type.trim().toLowerCase()}|${value.trim()}`;
}

/**
 * The set dates of one pupil's subject, by key. Rows alike in every key field but with different set
 * dates cannot be told apart: they get the earliest of their dates, which never proves more lateness
 * than the platform shows.
 */
export function addSetDates(into: Map<string, string>, rows: GradeRow[], pupilId: string, subjectId: string) {
  for (const r of rows) {
    const key = gradeKey(pupilId, subjectId, r.lessonDate, r.type, r.mark);
    const had = into.get(key);
    if (!had || r.setDate < had) into.set(key, r.setDate);
  }
}

/**
 * Attendance of one pupil from StudentTotal: the k-th code of a subject's day goes to the k-th lesson
 * (by number) of that subject that day. A code with no lesson, or an unknown code, is rejected.
 */
export function attendanceOf(
  subjects: TotalSubject[],
  pupilId: string,
  lessonsOf: (subjectName: string, date: string) => Lesson[],
  origin: string,
): { records: Attendance[]; rejected: RejectedRecord[] } {
  const records: Attendance[] = [];
  const rejected: RejectedRecord[] = [];
  for (const s of subjects) {
    for (const day of s.days) {
      if (day.codes.length === 0) continue;
      const lessons = lessonsOf(s.name, day.date).sort((a, b) => a.number - b.number);
      day.codes.forEach((code, k) => {
        const status = ATTENDANCE_CODES[code.toUpperCase()];
        const lesson = lessons[k];
        if (!status || !lesson) {
          rejected.push({
            stream: "attendance",
            origin,
            field: "code",
            reason: status ? "no lesson of the subject that day" : `unknown attendance code «${code}»`,
            raw: { subject: s.name, date: day.date, code },
          });
          return;
        }
        records.push({ studentId: pupilId, lessonId: lesson.id, status });
      });
    }
  }
  return { records, rejected };
}

/** Period marks of one pupil: the «Итог» columns whose heading names a term of the TERMID filter. */
export function periodMarksOf(
  subjects: TotalSubject[],
  pupilId: string,
  subjectIdOf: (name: string) => string,
  terms: { id: string; title: string }[],
  origin: string,
): { records: PeriodMark[]; rejected: RejectedRecord[] } {
  const records: PeriodMark[] = [];
  const rejected: RejectedRecord[] = [];
  // Longer titles first: «1 полугодие» must not match inside «11 …».
  const byLength = [...terms].sort((a, b) => b.title.length - a.title.length);
  for (const s of subjects) {
    for (const t of s.totals) {
      if (!/итог/i.test(t.heading) || t.value === "") continue;
      const term = byLength.find((x) => t.heading.toLowerCase().includes(x.title.toLowerCase()));
      const v = t.value.trim().toLowerCase().replace(/\.$/, "");
      const value: Mark["value"] | undefined = /^[1-5]$/.test(v) ? (v as Mark["value"]) : MARK_CODES[v];
      if (!term || !value) {
        rejected.push({
          stream: "periodMarks",
          origin,
          field: term ? "value" : "heading",
          reason: term ? `not a mark: «${t.value}»` : `no term named in «${t.heading}»`,
          raw: { subject: s.name, heading: t.heading, value: t.value },
        });
        continue;
      }
      records.push({ studentId: pupilId, subjectId: subjectIdOf(s.name), periodId: term.id, value });
    }
  }
  return { records, rejected };
}
