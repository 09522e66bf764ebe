/** A small school for journal tests: one class, three subjects, one with many lessons (grid split). */

import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Dataset } from "../../../src/dataset/types.ts";

export const STUDENTS = [
  { id: "s1", name: "Абрамова Ксения Игоревна" },
  { id: "s2", name: "Борисов Тимофей Алексеевич" },
  { id: "s3", name: "Васильева-Голенищева Александра Константиновна" },
  { id: "s4", name: "Ёлкин Фёдор Юрьевич" },
  { id: "s5", name: "Щукина Яна Эдуардовна" },
];

/** Weekdays from 2025-09-01 on, `count` of them. */
function schoolDays(count: number): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(2025, 8, 1));
  while (days.length < count) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}

export function journalSchool(): Dataset {
  const days = schoolDays(36);
  const lessons: Dataset["streams"]["lessons"] = [];
  const marks: Dataset["streams"]["marks"] = [];
  const attendance: Dataset["streams"]["attendance"] = [];
  const subjects = [
    { id: "math", name: "Математика", teacher: "t1", every: 1 },
    { id: "rus", name: "Русский язык", teacher: "t2", every: 3 },
    { id: "hist", name: "История России. Всеобщая история", teacher: "t2", every: 6 },
  ];
  let m = 0;
  for (const [i, day] of days.entries()) {
    for (const [n, subject] of subjects.entries()) {
      if (i % subject.every !== 0) continue;
      const id = `l-${subject.id}-${day}`;
      lessons.push({
        id,
        classId: "5a",
        subjectId: subject.id,
        teacherId: subject.teacher,
        date: day,
        number: n + 1,
        start: `${String(8 + n).padStart(2, "0")}:30`,
        end: `${String(9 + n).padStart(2, "0")}:10`,
        topic: `${subject.name}: тема урока № ${i + 1}`,
        homework: i % 2 === 0 ? `Упражнение ${i + 10}, с. ${i + 40}` : undefined,
      });
      for (const [k, student] of STUDENTS.entries()) {
        if ((i + k) % 3 === 0) {
          marks.push({
            id: `m${++m}`,
            studentId: student.id,
            subjectId: subject.id,
            lessonId: id,
            value: String(((i + k) % 4) + 2) as "2",
          });
          // two marks in one cell now and then
          if ((i + k) % 9 === 0)
            marks.push({
              id: `m${++m}`,
              studentId: student.id,
              subjectId: subject.id,
              lessonId: id,
              value: "5",
            });
        }
        if ((i + k) % 7 === 1) {
          const statuses = ["absent", "ill", "excused", "late"] as const;
          attendance.push({ studentId: student.id, lessonId: id, status: statuses[(i + k) % 4] });
        }
      }
    }
  }
  return {
    manifest: {
      format: "reglament-dataset",
      version: 1,
      observedAt: "2025-10-30T18:00:00+03:00",
      school: { id: "sch1", name: "МБОУ «Лицей № 7» г. Самары", timezone: "Europe/Samara", workweek: 5 },
    },
    streams: {
      periods: [
        { id: "q1", kind: "quarter", number: 1, start: "2025-09-01", end: "2025-10-24" },
        { id: "q2", kind: "quarter", number: 2, start: "2025-11-05", end: "2025-12-28" },
      ],
      calendar: [],
      subjects: subjects.map((s) => ({ id: s.id, name: s.name })),
      classes: [
        { id: "5a", grade: 5, letter: "А", classTeacherId: "t1" },
        { id: "6b", grade: 6, letter: "Б" },
      ],
      persons: [
        { id: "t1", role: "teacher", name: "Иванова Мария Петровна" },
        { id: "t2", role: "teacher", name: "Смирнов Олег Ильич" },
        ...STUDENTS.map((s) => ({ ...s, role: "student" as const, classId: "5a" })),
      ],
      lessons,
      works: [],
      marks,
      attendance,
      periodMarks: STUDENTS.flatMap((s, k) =>
        subjects.map((subject) => ({
          studentId: s.id,
          subjectId: subject.id,
          periodId: "q1",
          value: String(3 + (k % 3)) as "3",
        })),
      ),
      activity: [],
      outages: [],
    },
  };
}

/** Text of every page of a PDF (pdfjs legacy build), with the horizontal extent of each item. */
export async function pdfText(
  pdf: Uint8Array,
): Promise<{ text: string; items: { str: string; x: number; right: number; pageWidth: number }[] }[]> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const pages = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const width = page.view[2] - page.view[0];
    const items = [];
    for (const item of (await page.getTextContent()).items) {
      if (!("str" in item) || item.str === "") continue;
      items.push({
        str: item.str,
        x: item.transform[4],
        right: item.transform[4] + item.width,
        pageWidth: width,
      });
    }
    pages.push({ text: items.map((i) => i.str).join(" "), items });
  }
  await doc.destroy();
  return pages;
}
