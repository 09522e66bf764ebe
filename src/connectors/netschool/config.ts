// The source config of a «Сетевой город. Образование» (NetSchool) school (validated by the registry).
import { z } from "zod";
import { schoolSchema, workKindSchema } from "../../model/records.ts";

export const netschoolConfigSchema = z.object({
  /** The server's root, e.g. https://sgo.edu-74.ru/ (the connector calls `<baseUrl>webapi/…`). */
  baseUrl: z.url(),
  /** Login name of the account (an admin, deputy or class teacher reads more than a parent). */
  login: z.string().min(1),
  /** Password, plain or encrypted with secrets.encryptSecret (`v1.…`); `source add` encrypts it. */
  password: z.string().min(1),
  /** The school's id on the server (`scid` of the login form, from `schools/search`). */
  schoolId: z.string().regex(/^\d{1,20}$/, "expected the numeric school id as a string"),
  /** IANA zone of the school: the platform's dates are naive local dates. */
  timezone: schoolSchema.shape.timezone.default("Europe/Moscow"),
  workweek: z.union([z.literal(5), z.literal(6)]).default(5),
  /** Days of one diary request (the site shows a week; working clients ask for any range). */
  diaryDays: z.number().int().min(1).max(31).default(7),
  /**
   * An incremental sync re-reads the diary from this many days before today (to the end of the school
   * year) instead of the whole year; a full sync (`sync --full`, the nightly one) reads the whole year.
   */
  rereadDays: z.number().int().min(0).max(366).default(14),
  /**
   * How often the scheduler syncs this source, in minutes (the school-hours schedule fires every 30
   * minutes; a sync of this source is skipped while its last one is younger than this). NetSchool has
   * no entry times: a topic entered at 14:00 is proven on time by a sync before 15:00, so ≤ 30.
   */
  syncEveryMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  /** Assignment type names (exact) that are homework; the types are read from the server. */
  homeworkTypes: z.array(z.string().min(1)).default(["Домашнее задание"]),
  /** Assignment type name (exact) → canonical work kind, for school-specific types the keyword table misses. */
  workTypeKinds: z.record(z.string(), workKindSchema).default({}),
  /**
   * Read the reports (StudentTotal: attendance and period marks; StudentGrades: the day each mark was
   * set) through the report queue. Off: the diary only. A run whose reports fail keeps the diary.
   */
  reports: z.boolean().default(true),
  /** How long to wait on the queue hub for one report's `complete`. */
  reportTimeoutMs: z.number().int().positive().default(60_000),
  requestsPerSecond: z.number().positive().max(100).default(3),
  timeoutMs: z.number().int().positive().default(30_000),
  retries: z.number().int().min(0).max(10).default(3),
});

export type NetschoolConfig = z.infer<typeof netschoolConfigSchema>;
