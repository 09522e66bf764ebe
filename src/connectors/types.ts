// The connector contract (after Airbyte/Singer): check, discover, read(stream, cursor).
// A connector knows one platform, maps its shapes to canonical records and never writes to the store.
import type { School, StreamName, StreamRecords } from "../model/records.ts";

/** A record the connector could not map or validate: kept with its reason, never silently dropped. */
export interface RejectedRecord {
  stream: StreamName;
  /** Where it came from, e.g. `GET /v2/edu-groups/123/students` or `marks.jsonl:17`. */
  origin: string;
  /** The dotted field path that failed, when one field is to blame. */
  field?: string;
  reason: string;
  raw: unknown;
}

/** One page of a stream: canonical records, what was rejected, and the cursor after this page. */
export interface Page<S extends StreamName = StreamName> {
  records: StreamRecords[S][];
  rejected: RejectedRecord[];
  /** Opaque cursor to resume after this page; committed by the sync only after the page's data. */
  cursor: string | null;
  /** Progress hint for bars: pages or chunks done / total when the connector knows them. */
  progress?: { done: number; total: number };
}

export interface CheckResult {
  ok: boolean;
  /** What the platform says the account is (no personal data). */
  detail: string;
}

export type AttendanceEvidence = "recorded" | "absences-only";

export interface Discovery {
  school: School;
  /** Streams this source can read; a Moodle site without the Attendance plugin has no attendance. */
  streams: StreamName[];
  /**
   * What a lesson without attendance rows means on this platform. "recorded" (the default): the platform
   * marks a lesson's attendance as taken (a time, or a row for every pupil), so a lesson with neither was
   * not taken. "absences-only": only absences are listed, so an empty lesson may be one where everybody
   * came, and that attendance was not taken can never be proven from it.
   */
  attendanceEvidence?: AttendanceEvidence;
  /** When the data was observed: a dataset folder says so in its manifest; a live platform is "now" (absent). */
  observedAt?: string;
}

export interface ReadOptions {
  /** Cursor from the last committed page; null reads the stream in full (deletions may then be marked). */
  cursor: string | null;
  /** Date window of the school year to read, `YYYY-MM-DD` inclusive. */
  from?: string;
  to?: string;
  signal?: AbortSignal;
}

export interface Connector {
  readonly kind: string;
  check(): Promise<CheckResult>;
  discover(): Promise<Discovery>;
  read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>>;
  /** Requests made and retries spent so far, for the sync summary and benchmarks. */
  stats(): { requests: number; retries: number };
}
