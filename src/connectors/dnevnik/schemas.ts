// The platform's JSON shapes (Dnevnik.ru REST v2, /work/shared/platforms/dnevnik.md §4), as zod
// schemas of the fields we read. Ids are read ONLY from the `*_str` twins or from strings: the
// numeric forms exceed 2^53 and a JS number would corrupt them.
import { z } from "zod";

/** An int64 id as the platform's `*_str` field writes it. */
export const idStr = z.string().regex(/^-?\d{1,20}$/, "expected a decimal id string");
/** Text the platform may send as null or omit. */
const optText = z.string().nullish();
/** A naive local date-time (`2024-05-14T00:00:00`), sometimes with a fraction or an offset. */
export const platformDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    "expected a date-time",
  );

export const schoolSchema = z.object({
  id_str: idStr,
  name: z.string().min(1),
  fullName: optText,
  /** Hours from UTC (unit unverified, platforms/dnevnik.md §3). */
  timeZone: z.number().nullish(),
});

export const userSchema = z.object({
  id_str: idStr,
  personId_str: idStr.nullish(),
  roles: z.array(z.string()).nullish(),
});

/** `schools/{s}/teachers`: PascalCase. */
export const teacherSchema = z.object({
  IdStr: idStr,
  UserIdStr: idStr.nullish(),
  FirstName: optText,
  LastName: optText,
  MiddleName: optText,
  ShortName: optText,
  NameTeacherPosition: optText,
});

export const eduGroupSchema = z.object({
  id_str: idStr,
  type: z.string(),
  name: z.string().min(1),
  fullName: optText,
  parallel: z.number().int().nullish(),
  studyyear: z.number().int().nullish(),
});

export const personSchema = z.object({
  id_str: idStr,
  userId_str: idStr.nullish(),
  firstName: optText,
  lastName: optText,
  middleName: optText,
  shortName: optText,
});

export const subjectSchema = z.object({ id_str: idStr, name: z.string().min(1) });

export const reportingPeriodSchema = z.object({
  id_str: idStr,
  start: platformDateTime,
  finish: platformDateTime,
  number: z.number().int(),
  type: z.string(),
  name: optText,
  year: z.number().int().nullish(),
});

export const holidaySchema = z.object({
  id_str: idStr.nullish(),
  dateStart: platformDateTime,
  dateFinish: platformDateTime,
  name: optText,
  description: optText,
});

/** `edu-groups/{g}/reporting-period-group`: the periods plus the school's holidays. */
export const reportingPeriodGroupSchema = z.object({
  id_str: idStr.nullish(),
  reportingPeriods: z.array(z.unknown()),
  holidays: z.array(z.unknown()).nullish(),
});

/** Bell times: `Start`/`Finish` are full date-times in the working client (`fromisoformat`, maybe `Z`). */
export const timetableItemSchema = z.object({
  Start: z.string(),
  Finish: z.string(),
  LessonNumber: z.number().int(),
  DaysOfWeek: z.array(z.union([z.string(), z.number()])).nullish(),
});

/** Bell schedule; S3 types it as a list, S5 as one object. */
export const timetableSchema = z.object({ Items: z.array(timetableItemSchema).nullish() });

/** `work-types/{school}`: the working client keys work types by `id_str` (real-shapes.md D6). */
export const workTypeSchema = z.object({
  id_str: idStr.nullish(),
  /** Read only when `id_str` is absent, and then only as a string or a safe integer. */
  id: z
    .union([z.string(), z.number().int().refine(Number.isSafeInteger, "work type id beyond 2^53")])
    .nullish(),
  kind: optText,
  title: optText,
  abbr: optText,
  weight: z.number().nullish(),
});

export const workSchema = z.object({
  id_str: idStr,
  /** `Homework`, `PeriodMark` (a period mark, not a work), `CommonWork`, … (real-shapes.md D8). */
  type: z.string().nullish(),
  workType: z.union([z.string(), z.number()]).nullish(),
  lesson_str: idStr.nullish(),
  eduGroup_str: idStr.nullish(),
  text: optText,
  targetDate: platformDateTime.nullish(),
  sentDate: platformDateTime.nullish(),
});

export const lessonSchema = z.object({
  id_str: idStr,
  title: optText,
  /** The lesson's own date (naive, no fraction): never the entry time of anything in it. */
  date: platformDateTime,
  number: z.number().int(),
  subject: z.object({ id_str: idStr, name: optText }),
  status: optText,
  works: z.array(z.unknown()).nullish(),
  teachers_str: z.array(idStr).nullish(),
});

export const markSchema = z.object({
  id_str: idStr,
  /** The mark system, a `marks/values` key: `mark5`, `markna`, `test`, `mark10`, … (real-shapes.md D9). */
  type: optText,
  value: z.string().nullish(),
  textValue: optText,
  person_str: idStr,
  work_str: idStr.nullish(),
  lesson_str: idStr.nullish(),
  /** «Дата выставления»: when the mark was entered, with fractional seconds (real-shapes.md D1). */
  date: platformDateTime.nullish(),
  workType: z.union([z.string(), z.number()]).nullish(),
});

export const logEntrySchema = z.object({
  /** Per-pupil reads (`persons/{p}/lesson-log-entries`) may leave the pupil to the request. */
  person_str: idStr.nullish(),
  lesson_str: idStr,
  status: z.string(),
  comment: optText,
  createdDate: platformDateTime.nullish(),
});

/** `edu-groups/{g}/final-marks` as S3 models it (hyphenated keys). */
export const finalMarksEntrySchema = z.object({
  person_str: idStr,
  group_str: idStr.nullish(),
  reportingPeriod_str: idStr.nullish(),
  "per-subject-final-marks": z.array(z.unknown()),
});

export const perSubjectFinalMarkSchema = z.object({
  subject_str: idStr,
  "final-mark": z
    .object({ id_str: idStr.nullish(), type: optText, value: z.string().nullish(), textValue: optText })
    .nullish(),
});

export type PlatformSchool = z.infer<typeof schoolSchema>;
export type PlatformTeacher = z.infer<typeof teacherSchema>;
export type PlatformEduGroup = z.infer<typeof eduGroupSchema>;
export type PlatformPerson = z.infer<typeof personSchema>;
export type PlatformReportingPeriod = z.infer<typeof reportingPeriodSchema>;
export type PlatformHoliday = z.infer<typeof holidaySchema>;
export type PlatformTimetableItem = z.infer<typeof timetableItemSchema>;
export type PlatformWorkType = z.infer<typeof workTypeSchema>;
export type PlatformWork = z.infer<typeof workSchema>;
export type PlatformLesson = z.infer<typeof lessonSchema>;
export type PlatformMark = z.infer<typeof markSchema>;
export type PlatformLogEntry = z.infer<typeof logEntrySchema>;
