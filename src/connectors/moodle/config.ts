// The source config of a Moodle site (validated by the registry). Moodle knows nothing of Russian
// classes, periods or lesson numbers, so the school says how its courses, groups and grade items
// are named; every pattern is a JavaScript regular expression with named groups.
import { z } from "zod";
import {
  attendanceStatusSchema,
  clockSchema,
  periodSchema,
  schoolSchema,
  workKindSchema,
} from "../../model/records.ts";

const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

export const courseMappingSchema = z.enum(["course-per-class-subject", "groups-as-classes"]);
export type CourseMapping = z.infer<typeof courseMappingSchema>;

/** Default acronyms of the Attendance plugin (English and the usual Russian set) → canonical status. */
export const DEFAULT_ATTENDANCE_STATUSES: Record<string, z.infer<typeof attendanceStatusSchema>> = {
  P: "present",
  A: "absent",
  L: "late",
  E: "excused",
  I: "ill",
  П: "present",
  Н: "absent",
  О: "late",
  У: "excused",
  Б: "ill",
};

/** Default reading of an assignment name → work kind (first match wins). */
export const DEFAULT_WORK_KINDS: { pattern: string; kind: z.infer<typeof workKindSchema> }[] = [
  { pattern: "^устн", kind: "oral" },
  { pattern: "^(письменн|самостоятельн|диктант|сочинени|изложени)", kind: "written" },
  { pattern: "^тест", kind: "test" },
  { pattern: "^контрольн", kind: "control" },
  { pattern: "^лабораторн", kind: "lab" },
  { pattern: "^практическ", kind: "practical" },
  { pattern: "^региональн", kind: "regional" },
  { pattern: "^(впр|всероссийск|федеральн)", kind: "federal" },
  { pattern: "^промежуточн", kind: "intermediate" },
  { pattern: "^итогов", kind: "final" },
];

export const moodleConfigSchema = z.object({
  /** Site root as users open it, e.g. https://school.example/moodle (a sub-path is kept). */
  url: z.url(),
  /** Web-service token of the read-only service account, plain or encrypted (`v1.…`). */
  token: z.string().min(1),
  /** The school this site serves; Moodle returns no time zone, so it is configured. */
  school: z.object({
    id: schoolSchema.shape.id,
    name: z.string().min(1).optional(),
    timezone: schoolSchema.shape.timezone,
    workweek: schoolSchema.shape.workweek.default(5),
  }),
  courseMapping: courseMappingSchema.default("course-per-class-subject"),
  /**
   * Pattern on the course idnumber giving canonical ids: groups `classId` and `subjectId`
   * (course-per-class-subject) or `subjectId` (groups-as-classes). Default per mapping.
   */
  courseIdPattern: regexSource.optional(),
  /**
   * Pattern on the course full name: groups `subject` (the subject's name) and, for
   * course-per-class-subject, `grade` and `letter`. Default per mapping.
   */
  courseNamePattern: regexSource.optional(),
  /** groups-as-classes: pattern on a group name with `grade` and `letter`; other groups are not classes. */
  classNamePattern: regexSource.default("^(?<grade>\\d{1,2})\\s*-?\\s*(?<letter>[^\\s\\d-]{1,3})$"),
  /**
   * Where canonical ids of classes, subjects and persons come from. "idnumber" (default): the
   * idnumber fields of courses, groups and users, which Moodle shows only with moodle/course:update,
   * moodle/user:viewalldetails and moodle/course:managegroups; when the account lacks them the sync
   * refuses rather than take other ids that would change once the rights are granted. "moodle":
   * never idnumber, always Moodle's own numbers and names, the same whatever the account may see.
   */
  idSource: z.enum(["idnumber", "moodle"]).default("idnumber"),
  /** Only these course ids (Moodle's numbers); all visible courses when absent. */
  courseIds: z.array(z.number().int().positive()).optional(),
  /** Role shortnames of pupils and of teachers; the lead teacher of a lesson has a `leadTeacherRoles` role. */
  studentRoles: z.array(z.string().min(1)).default(["student"]),
  teacherRoles: z.array(z.string().min(1)).default(["editingteacher", "teacher"]),
  leadTeacherRoles: z.array(z.string().min(1)).default(["editingteacher"]),
  /** Attendance status acronym → canonical status (case-insensitive). */
  attendanceStatuses: z.record(z.string(), attendanceStatusSchema).default(DEFAULT_ATTENDANCE_STATUSES),
  /** Assignment name pattern (case-insensitive) → work kind; first match wins. */
  workKinds: z.array(z.object({ pattern: regexSource, kind: workKindSchema })).default(DEFAULT_WORK_KINDS),
  defaultWorkKind: workKindSchema.default("written"),
  /** Bell schedule: lesson start `HH:MM` → lesson number; else lessons are numbered by order in the day. */
  lessonNumbers: z.record(clockSchema, z.number().int().min(0).max(12)).optional(),
  /**
   * Manual grade item idnumber naming a lesson: groups `date`, optionally `number`; a `~<seq>`
   * suffix marks a further column for a second mark in the same lesson (Moodle keeps one grade per
   * pupil per item); an `@class` suffix keeps idnumbers unique in a course shared by class groups.
   */
  lessonItemPattern: regexSource.default(
    "^lesson:(?<date>\\d{4}-\\d{2}-\\d{2})(?:#(?<number>\\d{1,2}))?(?:~(?<seq>\\d+))?(?:@(?<classId>\\S+))?$",
  ),
  /**
   * Manual grade item idnumber holding further marks for an assignment (a second mark of a pupil for
   * one work, or a code such as н/а that the assignment's numeric grade cannot hold): group
   * `assignmentId` (Moodle's assignment id), optionally `seq` and `classId`. Its marks name the
   * assignment's work.
   */
  workItemPattern: regexSource.default(
    "^assign:(?<assignmentId>\\d+)(?:~(?<seq>\\d+))?(?:@(?<classId>\\S+))?$",
  ),
  /** Grade category/manual item idnumber holding period marks: group `periodId`. */
  periodItemPattern: regexSource.default("^period:(?<periodId>\\S+)$"),
  /**
   * The school's reporting periods (quarters, semesters, year) from its regulation: Moodle has no
   * school periods, so without them period marks cannot be placed and are quarantined.
   */
  periods: z
    .array(periodSchema)
    .refine((list) => new Set(list.map((p) => p.id)).size === list.length, "period ids must be unique")
    .optional(),
  /** Ids per request for array parameters (max_input_vars and URL length). */
  chunkSize: z.number().int().min(1).max(500).default(50),
  requestsPerSecond: z.number().positive().max(100).default(5),
  timeoutMs: z.number().int().positive().default(60_000),
  retries: z.number().int().min(0).max(10).default(4),
});

export type MoodleConfig = z.infer<typeof moodleConfigSchema>;
export type MoodleConfigInput = z.input<typeof moodleConfigSchema>;

export const DEFAULT_COURSE_ID_PATTERN: Record<CourseMapping, string> = {
  "course-per-class-subject": "^(?<classId>[^/\\s]+)/(?<subjectId>[^/\\s]+)$",
  "groups-as-classes": "^(?<subjectId>[^/\\s]+)(?:/\\S*)?$",
};

export const DEFAULT_COURSE_NAME_PATTERN: Record<CourseMapping, string> = {
  "course-per-class-subject": "^(?<subject>.+?)\\s+(?<grade>\\d{1,2})\\s*-?\\s*(?<letter>[^\\s\\d-]{1,3})$",
  "groups-as-classes": "^(?<subject>.+?)(?:,?\\s+\\d{1,2}\\s*(?:класс|кл\\.?)\\S*)?$",
};
