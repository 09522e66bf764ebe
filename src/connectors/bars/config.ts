// The source config of a BARS «Электронная школа» school (validated by the registry). BARS knows only
// "me and the pupils I may select", so the account is one that may select the school's pupils; its
// password, or the `sessionid` cookie a person copied from the browser where the region allows only ЕСИА.
import { z } from "zod";
import { attendanceStatusSchema, schoolSchema, workKindSchema } from "../../model/records.ts";

/** Attendance strings of the diary (vocabulary undocumented, bars-netschool.md §A4) → canonical status. */
export const DEFAULT_ATTENDANCE_CODES: Record<string, z.infer<typeof attendanceStatusSchema>> = {
  Н: "absent",
  НП: "absent",
  Б: "ill",
  ОП: "late",
  О: "late",
  УП: "excused",
  У: "excused",
  П: "present",
  Был: "present",
};

/** Work type («description» of a mark) → work kind; first match wins, case-insensitive. */
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

const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s, "iu");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

export const barsAuthSchema = z.discriminatedUnion("method", [
  /** The web form `/auth/login`; `password` plain or encrypted with secrets.encryptSecret (`v1.…`). */
  z.object({ method: z.literal("password"), login: z.string().min(1), password: z.string().min(1) }),
  /** ЕСИА-only regions: the `sessionid` cookie copied from a logged-in browser, plain or encrypted. */
  z.object({ method: z.literal("cookie"), sessionid: z.string().min(1) }),
]);

export const barsConfigSchema = z.object({
  /** The region's server as users open it, e.g. https://school.r-19.ru or https://s51.edu.o7.com. */
  url: z.url(),
  auth: barsAuthSchema,
  /** BARS has no school object or time zone in its API: the school is configured. */
  school: z.object({
    id: schoolSchema.shape.id,
    name: z.string().min(1).optional(),
    timezone: schoolSchema.shape.timezone,
    workweek: schoolSchema.shape.workweek.default(5),
  }),
  /** Only these pupils (person ids); all the account may select when absent. */
  pupils: z.array(z.string().regex(/^\d{1,20}$/)).optional(),
  attendanceCodes: z.record(z.string(), attendanceStatusSchema).default(DEFAULT_ATTENDANCE_CODES),
  /** Work types that are the lesson itself (an oral mark, no separate work). */
  lessonWorkTitles: z.array(z.string().min(1)).default(["Работа на уроке", "Ответ на уроке"]),
  workKinds: z.array(z.object({ pattern: regexSource, kind: workKindSchema })).default(DEFAULT_WORK_KINDS),
  defaultWorkKind: workKindSchema.default("written"),
  /**
   * An incremental sync re-reads from this many days before the stream's last completed read instead
   * of the whole school year (BARS has no change feed; every week is one request per pupil).
   */
  rereadDays: z.number().int().min(0).max(366).optional(),
  requestsPerSecond: z.number().positive().max(100).default(5),
  timeoutMs: z.number().int().positive().default(30_000),
  retries: z.number().int().min(0).max(10).default(4),
});

export type BarsConfig = z.infer<typeof barsConfigSchema>;
export type BarsConfigInput = z.input<typeof barsConfigSchema>;
