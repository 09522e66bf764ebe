// HTTP access to Dnevnik.ru REST v2: Access-Token header, endpoint paths exactly as
// platforms/dnevnik.md §4 lists them, the shared client's rate limit/retries/breaker.
// Returns raw bodies with their origin; mapping.ts validates and maps them.
import { NotFoundError } from "../errors.ts";
import type { RetryOptions } from "../http/backoff.ts";
import type { BreakerOptions } from "../http/circuit-breaker.ts";
import type { Clock } from "../http/clock.ts";
import { HttpClient, type HttpStats, type QueryValue } from "../http/http-client.ts";
import { classifyDnevnikResponse } from "./classify.ts";

export interface DnevnikClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  requestsPerSecond?: number;
  burst?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  clock?: Clock;
  random?: () => number;
}

/** A raw platform body and where it came from (for RejectedRecord.origin). */
export interface Fetched {
  origin: string;
  body: unknown;
}

const seg = encodeURIComponent;

export class DnevnikClient {
  private readonly http: HttpClient;
  private readonly basePath: string;

  constructor(options: DnevnikClientOptions) {
    const baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.basePath = new URL(baseUrl).pathname;
    this.http = new HttpClient({
      baseUrl,
      headers: { "Access-Token": options.token },
      timeoutMs: options.timeoutMs ?? 30_000,
      rateLimit: { requestsPerSecond: options.requestsPerSecond ?? 5, burst: options.burst },
      retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, ...options.retry },
      breaker: { failureThreshold: 8, cooldownMs: 60_000, ...options.breaker },
      classify: classifyDnevnikResponse,
      bigIntsAsStrings: true,
      clock: options.clock,
      random: options.random,
    });
  }

  stats(): HttpStats {
    return this.http.stats();
  }

  async get(path: string, params?: Record<string, QueryValue>, signal?: AbortSignal): Promise<Fetched> {
    const body = await this.http.get<unknown>(path, { params, signal });
    const query = params
      ? Object.entries(params)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join("&")
      : "";
    return { origin: `GET ${this.basePath}${path}${query ? `?${query}` : ""}`, body };
  }

  me(signal?: AbortSignal): Promise<Fetched> {
    return this.get("users/me", undefined, signal);
  }
  school(schoolId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`schools/${seg(schoolId)}`, undefined, signal);
  }
  /** PascalCase list of the school's staff. */
  teachers(schoolId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`schools/${seg(schoolId)}/teachers`, undefined, signal);
  }
  eduGroups(schoolId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`schools/${seg(schoolId)}/edu-groups`, undefined, signal);
  }
  subjects(schoolId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`schools/${seg(schoolId)}/subjects`, undefined, signal);
  }
  workTypes(schoolId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`work-types/${seg(schoolId)}`, undefined, signal);
  }
  groupPersons(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`edu-groups/${seg(groupId)}/persons`, undefined, signal);
  }
  /** The class teacher, or null when the group has none (404 or an empty body). */
  async classTeacher(groupId: string, signal?: AbortSignal): Promise<Fetched | null> {
    try {
      const f = await this.get(`edu-groups/${seg(groupId)}/classteacher`, undefined, signal);
      return f.body === null || f.body === "" ? null : f;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }
  /** Periods and holidays; sources spell the path two ways (S1 singular, S5 plural). */
  async reportingPeriodGroup(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    try {
      return await this.get(`edu-groups/${seg(groupId)}/reporting-period-group`, undefined, signal);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      return this.get(`edu-groups/${seg(groupId)}/reporting-periods-group`, undefined, signal);
    }
  }
  timetable(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`edu-groups/${seg(groupId)}/timetables`, undefined, signal);
  }
  groupLessons(groupId: string, from: string, to: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`edu-groups/${seg(groupId)}/lessons/${from}/${to}`, undefined, signal);
  }
  lesson(lessonId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`lessons/${seg(lessonId)}`, undefined, signal);
  }
  groupMarks(groupId: string, from: string, to: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`edu-groups/${seg(groupId)}/marks/${from}/${to}`, undefined, signal);
  }
  /** One pupil's attendance, as the working client reads it: `{logEntries: [...], lessons: [...]}`. */
  pupilLogEntries(personId: string, from: string, to: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`persons/${seg(personId)}/lesson-log-entries`, { startDate: from, endDate: to }, signal);
  }
  groupFinalMarks(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`edu-groups/${seg(groupId)}/final-marks`, undefined, signal);
  }
}
