// Reads what the connector needs from a Moodle site, record by record validated, and keeps it
// for a few minutes so that the streams of one sync run share one pull (Moodle has no change
// feed for the gradebook or attendance: full pulls, platforms/moodle.md §6).
import type { z } from "zod";
import { BadPayloadError, type ConnectorError, NotFoundError, NotPermittedError } from "../errors.ts";
import type { MoodleClient } from "./client.ts";
import type { MoodleConfig } from "./config.ts";
import {
  type ClassRef,
  type CompiledMapping,
  type CourseMeaning,
  isLeadTeacher,
  mapClassGroup,
  mapCourse,
  type PersonRole,
  personIdOf,
  personRoleOf,
} from "./mapping.ts";
import {
  type AssignGrade,
  type AttendanceSession,
  assignGradeSchema,
  assignGradesResponseSchema,
  assignmentSchema,
  assignmentsResponseSchema,
  attendanceSessionSchema,
  courseSchema,
  type EnrolledUser,
  enrolledUserSchema,
  type GradeItem,
  gradeItemSchema,
  gradeItemsResponseSchema,
  groupSchema,
  type MoodleAssignment,
  type MoodleCourse,
  type MoodleGroup,
  type SiteInfo,
  sectionSchema,
  siteInfoSchema,
  type WsWarning,
} from "./ws-types.ts";

/** A record that could not be read; the stream is named by whoever reports it. */
export interface Rejection {
  origin: string;
  field?: string;
  reason: string;
  raw: unknown;
}

export interface CourseUser {
  user: EnrolledUser;
  personId: string;
  role: PersonRole | null;
  lead: boolean;
}

export interface CourseModule {
  cmid: number;
  instance: number;
  modname: string;
  availability?: string | null;
}

export interface CourseContext {
  course: MoodleCourse;
  meaning: CourseMeaning;
  users: Map<number, CourseUser>;
  /** groups-as-classes: group id → class. */
  groupClasses: Map<number, ClassRef>;
  rejectedUsers: Rejection[];
  /** Some enrolled user came with an `idnumber` field (Moodle leaves it out when it may not show it, or it is empty). */
  userIdnumberShown: boolean;
}

/** Capabilities whose absence Moodle's answers prove, and what is then hidden. */
export type HiddenIdnumbers = ("moodle/course:update" | "moodle/user:viewalldetails")[];

export interface CourseList {
  contexts: CourseContext[];
  /** Courses that fit no mapping, or that the account may not read (origin `course N`). */
  rejected: Rejection[];
  hidden: HiddenIdnumbers;
  /** Separate-groups courses whose members the account may not see (no moodle/site:accessallgroups). */
  groupHidden: MoodleCourse[];
}

/** What a separate-groups course hides from an account in none of its groups. */
export const ACCESS_ALL_GROUPS = "moodle/site:accessallgroups";

export interface GradebookRow {
  userid: number;
  item: GradeItem;
}

export const ATTENDANCE_FUNCTION = "mod_attendance_get_sessions";
/** Moodle's course groupmode of separate groups. */
const SEPARATEGROUPS = 1;
const ENROLLED_PAGE = 500;
const CACHE_MS = 5 * 60_000;

function zodReason(error: z.ZodError): { field?: string; reason: string } {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join(".") : undefined;
  return { field, reason: issue ? issue.message : "invalid record" };
}

/** Validates each record of a list: good ones in `items`, the others as rejections. */
export function validateEach<S extends z.ZodType>(
  list: unknown[],
  schema: S,
  origin: string,
): { items: z.infer<S>[]; rejected: Rejection[] } {
  const items: z.infer<S>[] = [];
  const rejected: Rejection[] = [];
  for (const raw of list) {
    const r = schema.safeParse(raw);
    if (r.success) items.push(r.data);
    else rejected.push({ origin, ...zodReason(r.error), raw });
  }
  return { items, rejected };
}

function parseWhole<S extends z.ZodType>(body: unknown, schema: S, where: string): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const { field, reason } = zodReason(r.error);
    throw new BadPayloadError({
      detail: `${where}: unexpected answer shape at ${field ?? "(root)"}: ${reason}`,
    });
  }
  return r.data;
}

function asList(body: unknown, where: string): unknown[] {
  if (!Array.isArray(body)) throw new BadPayloadError({ detail: `${where}: expected a list` });
  return body;
}

/** mod_assign_get_grades warns "No grades found" (code 3) for an assignment nobody was graded on yet: no record lost. */
function isNothingToRead(w: WsWarning, origin: string): boolean {
  return origin.startsWith("mod_assign_get_grades") && String(w.warningcode) === "3";
}

function warningRejections(warnings: WsWarning[], origin: string): Rejection[] {
  return warnings
    .filter((w) => !isNothingToRead(w, origin))
    .map((w) => ({
      origin,
      reason: `Moodle warning ${w.warningcode}: ${w.message.slice(0, 200)}`,
      raw: w,
    }));
}

/** A gradebook row without a grade (`graderaw: null`): nothing to read, nothing to reject. */
function isUngraded(raw: unknown): boolean {
  if (raw === null || typeof raw !== "object") return false;
  const g = (raw as { graderaw?: unknown }).graderaw;
  return g === null || g === undefined;
}

/** The account may not read this (a course, a function's data): skip it and say so, the rest goes on. */
export function isAccessError(e: unknown): e is ConnectorError {
  return e instanceof NotPermittedError || e instanceof NotFoundError;
}

const hasKey = (raw: unknown, key: string): boolean =>
  raw !== null && typeof raw === "object" && Object.hasOwn(raw, key);

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export class MoodleSiteReader {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly client: MoodleClient,
    private readonly config: MoodleConfig,
    private readonly mapping: CompiledMapping,
    private readonly now: () => number = Date.now,
  ) {}

  /** Memoises a load for a few minutes; a failed load is forgotten at once. */
  cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: this.now(), value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** Forget everything read so far (the next stream pulls afresh). */
  reset(): void {
    this.cache.clear();
  }

  siteInfo(signal?: AbortSignal): Promise<SiteInfo> {
    return this.cached("siteinfo", async () =>
      parseWhole(
        await this.client.call("core_webservice_get_site_info", {}, signal),
        siteInfoSchema,
        "core_webservice_get_site_info",
      ),
    );
  }

  async hasAttendance(signal?: AbortSignal): Promise<boolean> {
    const info = await this.siteInfo(signal);
    return info.functions.some((f) => f.name === ATTENDANCE_FUNCTION);
  }

  /** All mapped courses with their people and class groups, plus what could not be mapped or read. */
  courses(signal?: AbortSignal): Promise<CourseList> {
    return this.cached("courses", async () => {
      const info = await this.siteInfo(signal);
      const where = "core_course_get_courses";
      const rejected: Rejection[] = [];
      const body = await this.listCourses(rejected, signal);
      const v = validateEach(body, courseSchema, where);
      rejected.push(...v.rejected);
      const own = body.filter((c) => !hasKey(c, "format") || (c as { format: unknown }).format !== "site");
      // Moodle gives a course's idnumber (even "") only with moodle/course:update: its absence is proof.
      const hidden: HiddenIdnumbers = [];
      if (own.length > 0 && !own.some((c) => hasKey(c, "idnumber"))) hidden.push("moodle/course:update");
      const contexts: CourseContext[] = [];
      const groupHidden: MoodleCourse[] = [];
      for (const course of v.items.sort((a, b) => a.id - b.id)) {
        if (course.format === "site" || course.id === info.siteid) continue;
        const meaning = mapCourse(course, this.mapping);
        if (!meaning.ok) {
          rejected.push({
            origin: `${where} id=${course.id}`,
            field: meaning.field,
            reason: meaning.reason,
            raw: course,
          });
          continue;
        }
        try {
          const ctx = await this.courseContext(course, meaning.value, signal);
          if (!ctx) {
            groupHidden.push(course);
            rejected.push({
              origin: `course ${course.id}`,
              reason: `course skipped: separate groups, and without ${ACCESS_ALL_GROUPS} the account (in none of its groups) sees no member: the enrolled users came back empty and the gradebook answered notingroup`,
              raw: null,
            });
            continue;
          }
          contexts.push(ctx);
        } catch (e) {
          if (!isAccessError(e)) throw e;
          rejected.push({ origin: `course ${course.id}`, reason: `course skipped: ${e.detail}`, raw: null });
        }
      }
      // A user's idnumber is left out when empty too, so only "no user anywhere has one" points to
      // missing moodle/user:viewalldetails; the refusal says both (connector.ts).
      const users = contexts.reduce((n, c) => n + c.users.size, 0);
      if (users > 0 && !contexts.some((c) => c.userIdnumberShown)) hidden.push("moodle/user:viewalldetails");
      return { contexts, rejected, hidden, groupHidden };
    });
  }

  /**
   * Whether an empty member list is Moodle hiding the course's members: in a separate-groups course
   * an account without moodle/site:accessallgroups and in no group gets no enrolled users, no error
   * (enrol/externallib.php), and the whole gradebook answers `notingroup`. A course that is merely
   * empty answers an empty gradebook instead, so it is kept.
   */
  private async membersHidden(courseId: number, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.gradebook(courseId, signal);
      return false;
    } catch (e) {
      if (e instanceof NotPermittedError && e.platformType?.toLowerCase() === "notingroup") return true;
      if (isAccessError(e)) return false;
      throw e;
    }
  }

  /**
   * The raw course list. Without `courseIds` it is one call, all or nothing (one course without
   * moodle/course:view fails it: errorcoursecontextnotvalid). With `courseIds`, a chunk that fails is
   * asked course by course, and a course the account may not open is skipped and reported.
   */
  private async listCourses(rejected: Rejection[], signal?: AbortSignal): Promise<unknown[]> {
    const where = "core_course_get_courses";
    const ids = this.config.courseIds;
    if (!ids) {
      try {
        return asList(await this.client.call(where, {}, signal), where);
      } catch (e) {
        if (!(e instanceof NotPermittedError)) throw e;
        throw new NotPermittedError({
          detail: e.detail,
          platformType: e.platformType,
          userMessage:
            "Учётная запись Moodle не может открыть один из курсов, и Moodle не отдаёт список курсов целиком. Выдайте ей право moodle/course:view на категории курсов школы или перечислите нужные курсы в courseIds настроек источника.",
        });
      }
    }
    const out: unknown[] = [];
    for (const chunk of chunks(ids, this.config.chunkSize)) {
      try {
        out.push(...asList(await this.client.call(where, { options: { ids: chunk } }, signal), where));
      } catch (e) {
        if (!isAccessError(e)) throw e;
        for (const id of chunk) {
          try {
            out.push(...asList(await this.client.call(where, { options: { ids: [id] } }, signal), where));
          } catch (one) {
            if (!isAccessError(one)) throw one;
            rejected.push({ origin: `course ${id}`, reason: `course skipped: ${one.detail}`, raw: null });
          }
        }
      }
    }
    return out;
  }

  /** A course's people and class groups; undefined when Moodle hides its members from the account. */
  private async courseContext(
    course: MoodleCourse,
    meaning: CourseMeaning,
    signal?: AbortSignal,
  ): Promise<CourseContext | undefined> {
    const where = `core_enrol_get_enrolled_users courseid=${course.id}`;
    const users = new Map<number, CourseUser>();
    const rejectedUsers: Rejection[] = [];
    let userIdnumberShown = false;
    for (let from = 0; ; from += ENROLLED_PAGE) {
      const options = [
        { name: "userfields", value: "id,fullname,idnumber,roles,groups" },
        { name: "limitfrom", value: from },
        { name: "limitnumber", value: ENROLLED_PAGE },
      ];
      const body = asList(
        await this.client.call("core_enrol_get_enrolled_users", { courseid: course.id, options }, signal),
        where,
      );
      const { items, rejected } = validateEach(body, enrolledUserSchema, where);
      rejectedUsers.push(...rejected);
      if (body.some((u) => hasKey(u, "idnumber"))) userIdnumberShown = true;
      for (const user of items) {
        const role = personRoleOf(user, this.mapping);
        users.set(user.id, {
          user,
          personId: personIdOf(user, this.mapping.idSource),
          role,
          lead: isLeadTeacher(user, this.mapping),
        });
      }
      if (body.length < ENROLLED_PAGE) break;
    }
    // Before the groups: an account that may not see them gets nopermissions there, a vaguer reason.
    const maySeparate = course.groupmode === undefined || course.groupmode === SEPARATEGROUPS;
    if (
      users.size === 0 &&
      rejectedUsers.length === 0 &&
      maySeparate &&
      (await this.membersHidden(course.id, signal))
    )
      return undefined;
    const groupClasses = new Map<number, ClassRef>();
    if (meaning.kind === "subject") {
      for (const g of await this.courseGroups(course.id, users, signal)) {
        const c = mapClassGroup(g, this.mapping);
        if (c) groupClasses.set(g.id, c);
      }
    }
    return { course, meaning, users, groupClasses, rejectedUsers, userIdnumberShown };
  }

  /**
   * A course's groups. core_group_get_course_groups needs moodle/course:managegroups (a write right);
   * without it, with idSource "moodle" (class ids from group names) the groups come from the enrolled
   * users' `groups`; with idSource "idnumber" the group idnumbers are unknown, so the course is skipped.
   */
  private async courseGroups(
    courseId: number,
    users: Map<number, CourseUser>,
    signal?: AbortSignal,
  ): Promise<MoodleGroup[]> {
    const where = `core_group_get_course_groups courseid=${courseId}`;
    try {
      const body = asList(
        await this.client.call("core_group_get_course_groups", { courseid: courseId }, signal),
        where,
      );
      return validateEach(body, groupSchema, where).items;
    } catch (e) {
      if (!(e instanceof NotPermittedError) || this.mapping.idSource === "idnumber") throw e;
      const seen = new Map<number, MoodleGroup>();
      for (const u of users.values())
        for (const g of u.user.groups)
          seen.set(g.id, { id: g.id, courseid: courseId, name: g.name, idnumber: "" });
      return [...seen.values()];
    }
  }

  /** Activities of a course (attendance instances, assignment availability). */
  modules(courseId: number, signal?: AbortSignal): Promise<CourseModule[]> {
    return this.cached(`modules:${courseId}`, async () => {
      const where = `core_course_get_contents courseid=${courseId}`;
      const options = [
        { name: "excludecontents", value: true },
        { name: "includestealthmodules", value: true },
      ];
      const body = asList(
        await this.client.call("core_course_get_contents", { courseid: courseId, options }, signal),
        where,
      );
      const { items } = validateEach(body, sectionSchema, where);
      return items.flatMap((s) =>
        s.modules.map((mod) => ({
          cmid: mod.id,
          instance: mod.instance,
          modname: mod.modname,
          availability: mod.availability,
        })),
      );
    });
  }

  /**
   * Assignments of all mapped courses (chunked by course ids), by course id; rejections by course
   * id, with site-wide warnings under 0.
   */
  assignments(
    signal?: AbortSignal,
  ): Promise<{ byCourse: Map<number, MoodleAssignment[]>; rejected: Map<number, Rejection[]> }> {
    return this.cached("assignments", async () => {
      const { contexts } = await this.courses(signal);
      const byCourse = new Map<number, MoodleAssignment[]>();
      const rejected = new Map<number, Rejection[]>();
      const add = (courseId: number, list: Rejection[]) =>
        rejected.set(courseId, [...(rejected.get(courseId) ?? []), ...list]);
      for (const ids of chunks(
        contexts.map((c) => c.course.id),
        this.config.chunkSize,
      )) {
        const where = "mod_assign_get_assignments";
        const body = parseWhole(
          await this.client.call(where, { courseids: ids, includenotenrolledcourses: true }, signal),
          assignmentsResponseSchema,
          where,
        );
        add(0, warningRejections(body.warnings, where));
        for (const c of body.courses) {
          const v = validateEach(c.assignments, assignmentSchema, `${where} courseid=${c.id}`);
          add(c.id, v.rejected);
          byCourse.set(c.id, v.items);
        }
      }
      return { byCourse, rejected };
    });
  }

  /** Latest-attempt grades of the given assignments, by assignment id. */
  assignGrades(
    assignmentIds: number[],
    signal?: AbortSignal,
  ): Promise<{ byAssignment: Map<number, AssignGrade[]>; rejected: Rejection[] }> {
    return this.cached(`assigngrades:${assignmentIds.join(",")}`, async () => {
      const byAssignment = new Map<number, AssignGrade[]>();
      const rejected: Rejection[] = [];
      for (const ids of chunks(assignmentIds, this.config.chunkSize)) {
        const where = "mod_assign_get_grades";
        const body = parseWhole(
          await this.client.call(where, { assignmentids: ids }, signal),
          assignGradesResponseSchema,
          where,
        );
        rejected.push(...warningRejections(body.warnings, where));
        for (const a of body.assignments) {
          const v = validateEach(a.grades, assignGradeSchema, `${where} assignmentid=${a.assignmentid}`);
          rejected.push(...v.rejected);
          byAssignment.set(a.assignmentid, v.items);
        }
      }
      return { byAssignment, rejected };
    });
  }

  /** The whole gradebook of a course (userid=0), one row per user and item. */
  gradebook(
    courseId: number,
    signal?: AbortSignal,
  ): Promise<{ rows: GradebookRow[]; rejected: Rejection[] }> {
    return this.cached(`gradebook:${courseId}`, async () => {
      const where = `gradereport_user_get_grade_items courseid=${courseId}`;
      const body = parseWhole(
        await this.client.call("gradereport_user_get_grade_items", { courseid: courseId, userid: 0 }, signal),
        gradeItemsResponseSchema,
        where,
      );
      const rows: GradebookRow[] = [];
      const rejected = warningRejections(body.warnings, where);
      for (const ug of body.usergrades) {
        // userid=0 answers users × items, mostly ungraded: validate only what carries a grade.
        const graded = ug.gradeitems.filter((i) => !isUngraded(i));
        const v = validateEach(graded, gradeItemSchema, `${where} userid=${ug.userid}`);
        rejected.push(...v.rejected);
        for (const item of v.items) rows.push({ userid: ug.userid, item });
      }
      return { rows, rejected };
    });
  }

  /** Attendance sessions of every attendance instance of a course. */
  sessions(
    courseId: number,
    signal?: AbortSignal,
  ): Promise<{ sessions: AttendanceSession[]; rejected: Rejection[] }> {
    return this.cached(`sessions:${courseId}`, async () => {
      const modules = await this.modules(courseId, signal);
      const sessions: AttendanceSession[] = [];
      const rejected: Rejection[] = [];
      for (const mod of modules.filter((x) => x.modname === "attendance")) {
        const where = `${ATTENDANCE_FUNCTION} attendanceid=${mod.instance}`;
        const body = asList(
          await this.client.call(ATTENDANCE_FUNCTION, { attendanceid: mod.instance }, signal),
          where,
        );
        const v = validateEach(body, attendanceSessionSchema, where);
        sessions.push(...v.items);
        rejected.push(...v.rejected);
      }
      return { sessions, rejected };
    });
  }
}
