// The source config of a Dnevnik.ru school (validated by the registry).
import { z } from "zod";
import { schoolSchema, workKindSchema } from "../../model/records.ts";

export const dnevnikConfigSchema = z.object({
  /** API base, e.g. https://api.dnevnik.ru/v2/ (also /v2.0/, regional hosts, the simulator). */
  baseUrl: z.url().default("https://api.dnevnik.ru/v2/"),
  /** OAuth access token, plain or encrypted with secrets.encryptSecret (`v1.…`). */
  token: z.string().min(1),
  /** The school's id as the platform writes it (int64, kept as a decimal string). */
  schoolId: z.string().regex(/^\d{1,20}$/, "expected the numeric school id as a string"),
  /** IANA zone of the school; when absent it is derived from the platform's `timeZone` hours. */
  timezone: schoolSchema.shape.timezone.optional(),
  workweek: z.union([z.literal(5), z.literal(6)]).default(5),
  /** Days per date-range request (the API has no paging; 30 days is the only cap seen in working clients). */
  chunkDays: z.number().int().min(7).max(30).default(30),
  /**
   * An incremental sync re-reads the dated streams from this many days before the stream's last
   * completed read (to the end of the school year), instead of the whole year; absent: the whole year.
   */
  rereadDays: z.number().int().min(0).max(366).optional(),
  requestsPerSecond: z.number().positive().max(100).default(5),
  /** Windows read at once: the next ones are on the wire while the store writes this one. */
  concurrency: z.number().int().min(1).max(8).default(2),
  burst: z.number().int().positive().max(100).optional(),
  timeoutMs: z.number().int().positive().default(30_000),
  retries: z.number().int().min(0).max(10).default(4),
  /** Work-type title (exact) → canonical kind, for school-specific types the keyword table misses. */
  workTypeKinds: z.record(z.string(), workKindSchema).default({}),
});

export type DnevnikConfig = z.infer<typeof dnevnikConfigSchema>;
