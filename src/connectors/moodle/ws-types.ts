// Zod schemas of the Moodle Web Services answers the connector reads (Moodle 4.5 return
// definitions, mod_attendance MOODLE_403+). Only the fields we use; lists are validated record by
// record so one bad record is rejected and the rest goes on. Field notes: platforms/moodle.md §4.
import { z } from "zod";

const int = z.number().int();
/** Moodle declares some ids PARAM_TEXT (attendance log) and JSON then carries them as strings. */
const looseInt = z.union([
  int,
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const unix = int.min(0);
const text = z
  .string()
  .nullish()
  .transform((s) => s ?? "");

/** `{exception, errorcode, message}` — Moodle's error body, sent with HTTP 200. */
export const wsExceptionSchema = z.object({
  exception: z.string(),
  errorcode: z.string().default(""),
  message: z.string().default(""),
  debuginfo: z.string().optional(),
});
export type WsException = z.infer<typeof wsExceptionSchema>;

/** login/token.php and other AJAX scripts: `{error, errorcode, stacktrace, debuginfo, reproductionlink}`. */
export const tokenErrorSchema = z.object({ error: z.string(), errorcode: z.string().default("") });

export const siteInfoSchema = z.object({
  sitename: z.string(),
  username: z.string().optional(),
  userid: int,
  siteurl: z.string(),
  siteid: int.optional(),
  release: z.string().optional(),
  version: z.string().optional(),
  functions: z.array(z.object({ name: z.string(), version: z.string().optional() })).default([]),
  userissiteadmin: z.boolean().optional(),
});
export type SiteInfo = z.infer<typeof siteInfoSchema>;

export const courseSchema = z.object({
  id: int.positive(),
  shortname: z.string(),
  fullname: z.string(),
  idnumber: text,
  categoryid: int.optional(),
  format: z.string().optional(),
  startdate: unix.optional(),
  enddate: unix.optional(),
  visible: int.optional(),
  /** 0 none, 1 separate, 2 visible groups; shown only with moodle/course:update. */
  groupmode: int.optional(),
});
export type MoodleCourse = z.infer<typeof courseSchema>;

export const enrolledUserSchema = z.object({
  id: int.positive(),
  fullname: z.string().min(1),
  idnumber: text,
  roles: z.array(z.object({ roleid: int, shortname: z.string(), name: z.string().optional() })).default([]),
  groups: z.array(z.object({ id: int, name: z.string() })).default([]),
});
export type EnrolledUser = z.infer<typeof enrolledUserSchema>;

export const groupSchema = z.object({
  id: int.positive(),
  courseid: int,
  name: z.string(),
  idnumber: text,
});
export type MoodleGroup = z.infer<typeof groupSchema>;

export const sectionSchema = z.object({
  id: int,
  name: z.string(),
  section: int,
  modules: z
    .array(
      z.object({
        id: int,
        name: z.string(),
        instance: int,
        modname: z.string(),
        availability: z.string().nullish(),
      }),
    )
    .default([]),
});
export type MoodleSection = z.infer<typeof sectionSchema>;

export const warningSchema = z.object({
  item: z.string().optional(),
  itemid: int.optional(),
  warningcode: z.string(),
  message: z.string(),
});
export type WsWarning = z.infer<typeof warningSchema>;

export const assignmentsResponseSchema = z.object({
  courses: z.array(z.object({ id: int, assignments: z.array(z.unknown()).default([]) })).default([]),
  warnings: z.array(warningSchema).default([]),
});

export const assignmentSchema = z.object({
  id: int.positive(),
  cmid: int.positive(),
  course: int.positive(),
  name: z.string(),
  duedate: unix,
  allowsubmissionsfromdate: unix.optional(),
  gradingduedate: unix.optional(),
  timemodified: unix.optional(),
  grade: z.number().optional(),
});
export type MoodleAssignment = z.infer<typeof assignmentSchema>;

export const assignGradesResponseSchema = z.object({
  assignments: z.array(z.object({ assignmentid: int, grades: z.array(z.unknown()).default([]) })).default([]),
  warnings: z.array(warningSchema).default([]),
});

export const assignGradeSchema = z.object({
  id: int,
  userid: int.positive(),
  attemptnumber: int.optional(),
  timecreated: unix.optional(),
  timemodified: unix,
  grader: int.nullish(),
  grade: z.string(),
});
export type AssignGrade = z.infer<typeof assignGradeSchema>;

export const gradeItemsResponseSchema = z.object({
  usergrades: z
    .array(
      z.object({
        courseid: int,
        userid: int,
        useridnumber: text,
        gradeitems: z.array(z.unknown()).default([]),
      }),
    )
    .default([]),
  warnings: z.array(warningSchema).default([]),
});

export const gradeItemSchema = z.object({
  id: int,
  itemname: z.string().nullish(),
  itemtype: z.string(),
  itemmodule: z.string().nullish(),
  iteminstance: int.nullish(),
  idnumber: text,
  scaleid: int.nullish(),
  cmid: int.nullish(),
  graderaw: z.number().nullish(),
  gradedategraded: unix.nullish(),
  /** The label as shown (scale items: the scale entry), may carry HTML (a pass icon). */
  gradeformatted: z.string().nullish(),
  grademax: z.number().nullish(),
  /** "1&ndash;5" for value items, "нз&ndash;5" for scale items; absent when the report hides ranges. */
  rangeformatted: z.string().nullish(),
});
export type GradeItem = z.infer<typeof gradeItemSchema>;

export const attendanceStatusRecordSchema = z.object({
  id: looseInt,
  acronym: z.string(),
  description: z.string().default(""),
  deleted: looseInt.optional(),
});

export const attendanceSessionSchema = z.object({
  id: int.positive(),
  attendanceid: int,
  groupid: int.default(0),
  sessdate: unix,
  duration: int.min(0),
  lasttaken: unix.nullish(),
  lasttakenby: int.nullish(),
  timemodified: unix.nullish(),
  description: text,
  courseid: int.optional(),
  statuses: z.array(attendanceStatusRecordSchema).default([]),
  attendance_log: z
    .array(z.object({ studentid: looseInt, statusid: looseInt, remarks: text, id: looseInt.optional() }))
    .default([]),
});
export type AttendanceSession = z.infer<typeof attendanceSessionSchema>;
