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

/**
 * A part of a stream that a read looked at in full: records of the stream inside it that the read did
 * not return are absent from the platform. Each field narrows it (absent = unrestricted); a record
 * whose date, class or subject is unknown is inside only the scopes that leave that field open.
 */
export interface ReadScope {
  /** Inclusive date window (`YYYY-MM-DD`) of the records' dates (a mark's or attendance's lesson). */
  from?: string;
  to?: string;
  classId?: string;
  subjectId?: string;
}

/** One page of a stream: canonical records, what was rejected, and the cursor after this page. */
export interface Page<S extends StreamName = StreamName> {
  records: StreamRecords[S][];
  rejected: RejectedRecord[];
  /** Opaque cursor to resume after this page; committed by the sync only after the page's data. */
  cursor: string | null;
  /**
   * What this page covered in full (a unit that answered in error or was skipped is not covered). The
   * sync proves absence only inside the scopes of the pages it read; when no page of a read from a null
   * cursor names one, the read covers the requested window (`from`..`to`) of the whole stream.
   */
  scope?: ReadScope[];
  /** Set on a page when its read covers everything of the stream the source holds (a full read). */
  full?: boolean;
  /** Progress hint for bars: pages or chunks done / total when the connector knows them. */
  progress?: { done: number; total: number };
}

export interface CheckResult {
  ok: boolean;
  /** What the platform says the account is (no personal data). */
  detail: string;
  /**
   * What the account cannot read or do, one line each in Russian (a missing right or function, a course
   * or pupil that will be skipped), also when the source is usable: the console lists them.
   */
  problems?: string[];
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
  /**
   * Whether records carry the platform's entry times (`recordedAt`, `topicRecordedAt`…). "none": the
   * platform gives none (NetSchool's diary), so every deadline is judged by the syncs' observations
   * (first-seen / last-absent) and the source's sync interval bounds how exactly. Absent: as the records say.
   */
  entryTimes?: "none";
  /** When the data was observed: a dataset folder says so in its manifest; a live platform is "now" (absent). */
  observedAt?: string;
}

export interface ReadOptions {
  /** Cursor from the last committed page; null reads the stream in full (deletions may then be marked). */
  cursor: string | null;
  /** Date window of the school year to read, `YYYY-MM-DD` inclusive. */
  from?: string;
  to?: string;
  /** The sync's clock (`SyncOptions.now`): a default window follows it, not the wall clock. */
  now?: Date;
  /** The sync asked for a full read (`--full`): no trailing-span shortcut. */
  full?: boolean;
  /** When this stream was last read to its end, if ever: an incremental read may start near it. */
  lastReadAt?: Date | null;
  signal?: AbortSignal;
}

export interface Connector {
  readonly kind: string;
  check(): Promise<CheckResult>;
  discover(): Promise<Discovery>;
  read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>>;
  /** Requests made and retries spent so far, for the sync summary and benchmarks. */
  stats(): { requests: number; retries: number };
  /** Ends the run's platform session (a logout), when the platform has one. */
  close?(): Promise<void>;
}
