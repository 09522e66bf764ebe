// zod shapes of the NetSchool web API answers the connector reads, after the recorded answers
// (platforms/real-shapes.md §2: nm17/netschoolapi docs/responses, server 4.70; swagger 5.10) and the
// field types of BN §B5. Unknown keys pass (servers add fields); ids are integers (kept as strings).
import { z } from "zod";

const intId = z.union([z.number().int(), z.string().regex(/^-?\d{1,20}$/)]).transform(String);
/** Naive local `YYYY-MM-DDT00:00:00` (or a bare date): the date part. */
const naiveDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/, "expected YYYY-MM-DDT00:00:00")
  .transform((s) => s.slice(0, 10));

export const authDataSchema = z.looseObject({
  lt: z.union([z.string(), z.number()]).transform(String),
  ver: z.union([z.string(), z.number()]).transform(String),
  salt: z.string().min(1),
});

export const loginReplySchema = z.looseObject({
  at: z.string().min(1),
  /** Idle timeout in milliseconds (900000 in the swagger example). */
  timeOut: z.number().optional(),
  entryPoint: z.string().nullish(),
  accountInfo: z.looseObject({}).nullish(),
});

export const contextSchema = z.looseObject({
  userId: intId,
  schoolId: intId,
  schoolYearId: intId.optional(),
  productName: z.string().optional(),
  version: z.string().optional(),
  rights: z.array(z.string()).default([]),
  roles: z.array(z.string()).default([]),
  schoolyear: z
    .looseObject({
      id: intId,
      name: z.string().optional(),
      startDate: naiveDate,
      endDate: naiveDate,
      closed: z.string().optional(),
    })
    .optional(),
  organization: z.looseObject({ id: intId, name: z.string() }).optional(),
});
export type NetschoolContext = z.infer<typeof contextSchema>;

const studentEntry = z.looseObject({
  studentId: intId,
  nickName: z.string().min(1),
  className: z.string().nullish(),
  classId: intId.nullish(),
  iupGrade: z.number().nullish(),
});
export type StudentEntry = z.infer<typeof studentEntry>;

/** `student/diary/init`: `students` is a list on most servers and a dict on some (vkrya `_init_students`). */
export const diaryInitSchema = z.looseObject({
  students: z
    .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
    .transform((s) => (Array.isArray(s) ? s : Object.values(s))),
  currentStudentId: intId.nullish(),
  weekStart: z.string().optional(),
  maxMark: z.number().optional(),
  withLaAssigns: z.boolean().optional(),
});
export { studentEntry };

export const assignmentTypeSchema = z.looseObject({
  id: intId,
  name: z.string().min(1),
  abbr: z.string().nullish(),
  order: z.number().nullish(),
});
export type AssignmentType = z.infer<typeof assignmentTypeSchema>;

export const markSchema = z.looseObject({
  assignmentId: intId.optional(),
  studentId: intId.optional(),
  /** The mark, an integer; null together with `dutyMark: true` (a «точка», work owed). */
  mark: z.number().int().nullable().optional(),
  resultScore: z.number().nullish(),
  dutyMark: z.boolean().default(false),
});

export const assignmentSchema = z.looseObject({
  id: intId,
  typeId: intId,
  assignmentName: z.string().default(""),
  weight: z.number().nullish(),
  dueDate: naiveDate.nullish(),
  classMeetingId: intId.nullish(),
  existsTestPlan: z.boolean().optional(),
  mark: markSchema.nullish(),
  markComment: z.looseObject({ id: intId.optional(), name: z.string().optional() }).nullish(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const lessonSchema = z.looseObject({
  classmeetingId: intId,
  day: naiveDate,
  number: z.number().int(),
  relay: z.number().nullish(),
  room: z.string().nullish(),
  startTime: z.string().regex(/^\d{1,2}:\d{2}$/),
  endTime: z.string().regex(/^\d{1,2}:\d{2}$/),
  subjectName: z.string().min(1),
  isEaLesson: z.boolean().optional(),
  assignments: z.array(z.unknown()).nullish(),
});
export type DiaryLesson = z.infer<typeof lessonSchema>;

export const diarySchema = z.looseObject({
  weekStart: naiveDate,
  weekEnd: naiveDate,
  termName: z.string().nullish(),
  className: z.string().nullish(),
  weekDays: z
    .array(z.looseObject({ date: naiveDate, lessons: z.array(z.unknown()).default([]) }))
    .default([]),
  laAssigns: z.array(z.unknown()).nullish(),
});

/** One filter of the reports pipeline (`reports/<name>` and `…/initfilters`), BN §B6. */
export const filterSourceSchema = z.looseObject({
  filterId: z.string(),
  items: z
    .array(z.looseObject({ title: z.string(), value: z.union([z.string(), z.number()]).transform(String) }))
    .nullish(),
  defaultValue: z.union([z.string(), z.number()]).nullish(),
  range: z.looseObject({ start: naiveDate, end: naiveDate }).nullish(),
});
export const filterSourcesSchema = z
  .union([z.array(filterSourceSchema), z.looseObject({ filterSources: z.array(filterSourceSchema) })])
  .transform((v) => (Array.isArray(v) ? v : v.filterSources));
export type FilterSource = z.infer<typeof filterSourceSchema>;
