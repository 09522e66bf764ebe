// Canonical records: the one shape every connector maps to and the store keeps.
// These are exactly the lines of the reglament dataset v1 (DESIGN.md); ids are strings always
// (platform ids may exceed 2^53), dates are YYYY-MM-DD, instants are ISO 8601 with an offset.
import { z } from "zod";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const dateSchema = z
  .string()
  .regex(ISO_DATE, "expected a date YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "not a real calendar date")
  .refine((s) => s >= "1990-01-01" && s <= "2100-12-31", "date out of range 1990–2100");

/** An instant with an explicit offset (`Z` or `+03:00`); a naive local time is refused. */
export const instantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: "expected an ISO 8601 time with offset, e.g. 2026-09-01T10:15:00+03:00",
  })
  .refine((s) => !Number.isNaN(Date.parse(s)), "not a real time")
  .refine((s) => {
    const y = Number(s.slice(0, 4));
    return y >= 1990 && y <= 2100;
  }, "time out of range 1990–2100");

/** Lesson clock time `HH:MM` in the school's time zone. */
export const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time HH:MM");

export const idSchema = z
  .string()
  .min(1, "empty id")
  .max(200, "id longer than 200 characters")
  .regex(/^[^\s]+$/, "id with white space");

export const roleSchema = z.enum([
  "student",
  "teacher",
  "parent",
  "deputy",
  "director",
  "admin",
  "coordinator",
]);
export type Role = z.infer<typeof roleSchema>;

export const workKindSchema = z.enum([
  "oral",
  "written",
  "test",
  "control",
  "lab",
  "practical",
  "regional",
  "federal",
  "intermediate",
  "final",
]);
export type WorkKind = z.infer<typeof workKindSchema>;

export const attendanceStatusSchema = z.enum(["absent", "ill", "late", "excused", "present"]);

/** A mark as the journal shows it: 1–5, or a code (н/а, осв., зч, нз). */
export const markValueSchema = z.union([
  z.enum(["1", "2", "3", "4", "5", "н/а", "осв", "зч", "нз"]),
  z.number().int().min(1).max(5),
]);

export const schoolSchema = z.object({
  id: idSchema,
  name: z.string().min(1),
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "not an IANA time zone (e.g. Europe/Moscow)"),
  workweek: z.union([z.literal(5), z.literal(6)]),
});
export type School = z.infer<typeof schoolSchema>;

export const manifestSchema = z.object({
  format: z.literal("reglament-dataset"),
  version: z.literal(1),
  observedAt: instantSchema,
  school: schoolSchema,
});
export type Manifest = z.infer<typeof manifestSchema>;

export const periodSchema = z
  .object({
    id: idSchema,
    kind: z.enum(["quarter", "semester", "trimester", "year"]),
    number: z.number().int().min(1).max(4),
    start: dateSchema,
    end: dateSchema,
    /** The classes the period applies to (quarters in 2–9, semesters in 10–11); absent: every class. */
    classIds: z.array(idSchema).optional(),
  })
  .refine((p) => p.start <= p.end, { message: "period ends before it starts", path: ["end"] });

export const calendarDaySchema = z.object({
  date: dateSchema,
  kind: z.enum(["holiday", "workday", "vacation"]),
});

export const classSchema = z.object({
  id: idSchema,
  grade: z.number().int().min(1).max(11),
  letter: z.string().min(1).max(8),
  classTeacherId: idSchema.optional(),
});

export const personSchema = z.object({
  id: idSchema,
  role: roleSchema,
  name: z.string().min(1),
  classId: idSchema.optional(),
  childIds: z.array(idSchema).optional(),
});

export const subjectSchema = z.object({ id: idSchema, name: z.string().min(1) });

export const lessonSchema = z
  .object({
    id: idSchema,
    classId: idSchema,
    subjectId: idSchema,
    teacherId: idSchema,
    substituteTeacherId: idSchema.optional(),
    date: dateSchema,
    number: z.number().int().min(0).max(12),
    start: clockSchema,
    end: clockSchema,
    topic: z.string().optional(),
    topicRecordedAt: instantSchema.optional(),
    topicAuthorId: idSchema.optional(),
    homework: z.string().optional(),
    homeworkRecordedAt: instantSchema.optional(),
    attendanceRecordedAt: instantSchema.optional(),
  })
  .refine((l) => l.start < l.end, { message: "lesson ends before it starts", path: ["end"] });

export const workSchema = z.object({
  id: idSchema,
  lessonId: idSchema.optional(),
  classId: idSchema,
  subjectId: idSchema,
  kind: workKindSchema,
  date: dateSchema,
  resultsAnnouncedOn: dateSchema.optional(),
});

export const markSchema = z.object({
  id: idSchema,
  studentId: idSchema,
  subjectId: idSchema,
  workId: idSchema.optional(),
  lessonId: idSchema.optional(),
  /**
   * The day of the lesson the mark was given in, when the platform names the day but has no lesson
   * record for it (Moodle without the Attendance plugin: a `lesson:<date>#<n>` grade column).
   */
  lessonDate: dateSchema.optional(),
  value: markValueSchema,
  weight: z.number().positive().max(10).optional(),
  recordedAt: instantSchema.optional(),
  /**
   * The day the platform says the mark was entered, when it gives the day only (NetSchool's
   * StudentGrades «Дата выставления»). It bounds the entry to that day in the school's zone: it proves
   * a deadline missed only when the day itself is past the deadline's day, never more.
   */
  recordedOn: dateSchema.optional(),
  authorId: idSchema.optional(),
});

export const attendanceSchema = z.object({
  studentId: idSchema,
  lessonId: idSchema,
  status: attendanceStatusSchema,
  recordedAt: instantSchema.optional(),
});

export const periodMarkSchema = z.object({
  studentId: idSchema,
  subjectId: idSchema,
  periodId: idSchema,
  value: markValueSchema,
  recordedAt: instantSchema.optional(),
});

export const activitySchema = z.object({
  personId: idSchema,
  date: dateSchema,
  logins: z.number().int().min(0),
  diaryViews: z.number().int().min(0).optional(),
  entries: z.number().int().min(0).optional(),
});

export const outageSchema = z
  .object({ from: instantSchema, to: instantSchema, note: z.string().optional() })
  .refine((o) => Date.parse(o.from) <= Date.parse(o.to), {
    message: "outage ends before it starts",
    path: ["to"],
  });

export type Period = z.infer<typeof periodSchema>;
export type CalendarDay = z.infer<typeof calendarDaySchema>;
export type SchoolClass = z.infer<typeof classSchema>;
export type Person = z.infer<typeof personSchema>;
export type Subject = z.infer<typeof subjectSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
export type Work = z.infer<typeof workSchema>;
export type Mark = z.infer<typeof markSchema>;
export type Attendance = z.infer<typeof attendanceSchema>;
export type PeriodMark = z.infer<typeof periodMarkSchema>;
export type Activity = z.infer<typeof activitySchema>;
export type Outage = z.infer<typeof outageSchema>;

/** Every stream of the canonical model, in the order they must be loaded (referents first). */
export const STREAMS = [
  "periods",
  "calendar",
  "subjects",
  "classes",
  "persons",
  "lessons",
  "works",
  "marks",
  "attendance",
  "periodMarks",
  "activity",
  "outages",
] as const;
export type StreamName = (typeof STREAMS)[number];

export const streamSchemas = {
  periods: periodSchema,
  calendar: calendarDaySchema,
  subjects: subjectSchema,
  persons: personSchema,
  classes: classSchema,
  lessons: lessonSchema,
  works: workSchema,
  marks: markSchema,
  attendance: attendanceSchema,
  periodMarks: periodMarkSchema,
  activity: activitySchema,
  outages: outageSchema,
} as const;

export interface StreamRecords {
  periods: Period;
  calendar: CalendarDay;
  subjects: Subject;
  persons: Person;
  classes: SchoolClass;
  lessons: Lesson;
  works: Work;
  marks: Mark;
  attendance: Attendance;
  periodMarks: PeriodMark;
  activity: Activity;
  outages: Outage;
}

/** The file of each stream in a dataset folder. */
export const STREAM_FILES: Record<StreamName, string> = {
  periods: "periods.jsonl",
  calendar: "calendar.jsonl",
  subjects: "subjects.jsonl",
  persons: "persons.jsonl",
  classes: "classes.jsonl",
  lessons: "lessons.jsonl",
  works: "works.jsonl",
  marks: "marks.jsonl",
  attendance: "attendance.jsonl",
  periodMarks: "period-marks.jsonl",
  activity: "activity.jsonl",
  outages: "outages.jsonl",
};
