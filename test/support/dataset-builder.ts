// Builds small reglament datasets on disk for tests: a readable school, then edits per test.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset } from "../../src/dataset/types.ts";
import {
  type Manifest,
  STREAM_FILES,
  STREAMS,
  type StreamName,
  type StreamRecords,
} from "../../src/model/records.ts";

export function tinySchool(observedAt = "2025-10-06T18:00:00+03:00"): Dataset {
  const manifest: Manifest = {
    format: "reglament-dataset",
    version: 1,
    observedAt,
    school: { id: "sch1", name: "МБОУ СОШ № 1", timezone: "Europe/Moscow", workweek: 5 },
  };
  return {
    manifest,
    streams: {
      periods: [{ id: "q1", kind: "quarter", number: 1, start: "2025-09-01", end: "2025-10-24" }],
      calendar: [{ date: "2025-10-27", kind: "vacation" }],
      subjects: [
        { id: "math", name: "Математика" },
        { id: "rus", name: "Русский язык" },
      ],
      classes: [{ id: "5a", grade: 5, letter: "А", classTeacherId: "t1" }],
      persons: [
        { id: "t1", role: "teacher", name: "Иванова Мария Петровна" },
        { id: "t2", role: "teacher", name: "Смирнов Олег Ильич" },
        { id: "s1", role: "student", name: "Петров Пётр Сергеевич", classId: "5a" },
        { id: "s2", role: "student", name: "Сидорова Анна Олеговна", classId: "5a" },
        { id: "p1", role: "parent", name: "Петрова Ольга Ивановна", childIds: ["s1"] },
      ],
      lessons: [
        {
          id: "l1",
          classId: "5a",
          subjectId: "math",
          teacherId: "t1",
          date: "2025-10-01",
          number: 1,
          start: "08:30",
          end: "09:15",
          topic: "Дроби",
          topicRecordedAt: "2025-10-01T09:20:00+03:00",
          homework: "№ 12",
        },
        {
          id: "l2",
          classId: "5a",
          subjectId: "rus",
          teacherId: "t2",
          substituteTeacherId: "t1",
          date: "2025-10-02",
          number: 2,
          start: "09:25",
          end: "10:10",
        },
      ],
      works: [
        { id: "w1", lessonId: "l1", classId: "5a", subjectId: "math", kind: "control", date: "2025-10-01" },
      ],
      marks: [
        {
          id: "m1",
          studentId: "s1",
          subjectId: "math",
          workId: "w1",
          lessonId: "l1",
          value: "5",
          weight: 2,
          recordedAt: "2025-10-03T12:00:00+03:00",
          authorId: "t1",
        },
        { id: "m2", studentId: "s2", subjectId: "math", lessonId: "l1", value: 4 },
      ],
      attendance: [{ studentId: "s2", lessonId: "l2", status: "ill" }],
      periodMarks: [{ studentId: "s1", subjectId: "math", periodId: "q1", value: "5" }],
      activity: [{ personId: "p1", date: "2025-10-01", logins: 1, diaryViews: 3 }],
      outages: [
        { from: "2025-10-02T10:00:00+03:00", to: "2025-10-02T14:00:00+03:00", note: "сбой платформы" },
      ],
    },
  };
}

/** Writes a dataset to a new temp folder (or `dir`); `extraLines` appends raw lines to stream files. */
export function writeDataset(
  ds: Dataset,
  options: { dir?: string; extraLines?: Partial<Record<StreamName, string[]>>; omit?: StreamName[] } = {},
): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "reglament-ds-"));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(ds.manifest, null, 2));
  for (const s of STREAMS) {
    if (options.omit?.includes(s)) continue;
    const lines = (ds.streams[s] as unknown[]).map((r) => JSON.stringify(r));
    lines.push(...(options.extraLines?.[s] ?? []));
    writeFileSync(join(dir, STREAM_FILES[s]), lines.length ? `${lines.join("\n")}\n` : "");
  }
  return dir;
}

export function clone(ds: Dataset): Dataset {
  return structuredClone(ds);
}

export type Rec<S extends StreamName> = StreamRecords[S];
