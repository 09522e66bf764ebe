// The Moodle connector: check, discover and read canonical streams from a Moodle 4.x site over
// Web Services REST. Courses are class×subject (or subject with class groups), Attendance-plugin
// sessions are lessons, assignments are works, assignment and gradebook grades are marks, grade
// items named `period:<id>` are period marks of the reporting periods the source config lists
// (Moodle has none of its own). What Moodle cannot carry: see mapping.ts.
import type { StreamName } from "../../model/records.ts";
import { InvalidRequestError, NotPermittedError } from "../errors.ts";
import type { ConnectorDeps } from "../registry.ts";
import { decryptSecret, isEncryptedSecret } from "../secrets.ts";
import type { CheckResult, Connector, Discovery, Page, ReadOptions, ReadScope } from "../types.ts";
import { MoodleClient } from "./client.ts";
import type { MoodleConfig } from "./config.ts";
import { compileMapping } from "./mapping.ts";
import {
  ACCESS_ALL_GROUPS,
  type CourseContext,
  type CourseList,
  type HiddenIdnumbers,
  isAccessError,
  MoodleSiteReader,
} from "./site-reader.ts";
import { marksOf, periodMarksOf, worksOf } from "./streams/grades.ts";
import { attendanceOf, lessonsOf } from "./streams/lessons.ts";
import { readRoster } from "./streams/roster.ts";
import type { Built, StreamDeps } from "./streams/shared.ts";

/** Streams every Moodle site gives; lessons and attendance need the Attendance plugin, periods the config's `periods`. */
export const MOODLE_BASE_STREAMS = [
  "subjects",
  "persons",
  "classes",
  "works",
  "marks",
  "periodMarks",
] as const;
export const MOODLE_ATTENDANCE_STREAMS = ["lessons", "attendance"] as const;

/** Functions the service must allow (checked against site info). */
export const REQUIRED_FUNCTIONS = [
  "core_webservice_get_site_info",
  "core_course_get_courses",
  "core_enrol_get_enrolled_users",
  "core_course_get_contents",
  "mod_assign_get_assignments",
  "mod_assign_get_grades",
  "gradereport_user_get_grade_items",
];

function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const m = /^course:(\d+)$/.exec(cursor);
  if (!m) throw new InvalidRequestError({ detail: `moodle: unreadable cursor "${cursor.slice(0, 40)}"` });
  return Number(m[1]);
}

/** What IT staff lose without a capability (check output, Russian). */
const HIDDEN_CONSEQUENCE: Record<HiddenIdnumbers[number], string> = {
  "moodle/course:update":
    "Moodle не отдаёт idnumber курсов; классы и предметы пришлось бы определять по названиям курсов (например, subject:Математика вместо math).",
  "moodle/user:viewalldetails":
    "Moodle не отдаёт idnumber пользователей (или ни у кого он не заполнен); ученики и учителя получили бы номера Moodle (moodle-user-4 вместо s-001).",
};
const ID_REMEDY =
  'Выдайте учётной записи эти права на категории курсов (для пользователей достаточно включить idnumber в showuseridentity) или задайте в настройках источника "idSource": "moodle" — тогда идентификаторы всегда берутся из номеров и названий Moodle и от прав не зависят.';

export class MoodleConnector implements Connector {
  readonly kind = "moodle";
  private readonly client: MoodleClient;
  private readonly reader: MoodleSiteReader;
  private readonly deps: StreamDeps;
  /** Courses of the current read that could not be read. */
  private readonly unread = new Set<number>();

  constructor(
    private readonly config: MoodleConfig,
    deps: ConnectorDeps = {},
  ) {
    const token = isEncryptedSecret(config.token) ? decryptSecret(config.token, deps.secret) : config.token;
    this.client = new MoodleClient({
      url: config.url,
      token,
      timeoutMs: deps.http?.timeoutMs ?? config.timeoutMs,
      requestsPerSecond: config.requestsPerSecond,
      rateLimit: deps.http?.rateLimit,
      retry: { retries: config.retries, ...deps.http?.retry },
      breaker: deps.http?.breaker,
      clock: deps.clock,
      random: deps.random,
    });
    const mapping = compileMapping(config);
    this.reader = new MoodleSiteReader(
      this.client,
      config,
      mapping,
      deps.clock ? () => deps.clock!.now() : Date.now,
    );
    this.deps = { reader: this.reader, mapping };
  }

  /**
   * Reachable and authenticated (typed errors are thrown), then the calls a sync makes, course by
   * course: what the account may not read, which capabilities it lacks and what that changes (for IT
   * staff, in Russian). Not ok when the service lacks functions or a sync would refuse.
   */
  async check(): Promise<CheckResult> {
    this.reader.reset();
    const info = await this.reader.siteInfo();
    const have = new Set(info.functions.map((f) => f.name));
    const required = [...REQUIRED_FUNCTIONS];
    if (this.config.courseMapping === "groups-as-classes") required.push("core_group_get_course_groups");
    const missing = required.filter((f) => !have.has(f));
    const attendance = await this.reader.hasAttendance();
    const periods = this.config.periods
      ? `${this.config.periods.length} configured`
      : 'none configured (period marks are quarantined until "periods" is set in the source config)';
    const site = `Moodle ${info.release ?? "?"} "${info.sitename}", ${info.functions.length} functions, attendance plugin: ${attendance ? "yes" : "no"}, periods: ${periods}`;
    if (missing.length > 0)
      return {
        ok: false,
        detail: `${site}; the service lacks: ${missing.join(", ")}`,
        problems: missing.map(
          (f) => `Служба Moodle не даёт функцию ${f}: добавьте её во внешнюю службу токена.`,
        ),
      };
    const lines = [site];
    let list: CourseList;
    try {
      list = await this.reader.courses();
    } catch (e) {
      if (!(e instanceof NotPermittedError)) throw e;
      return {
        ok: false,
        detail: [...lines, `Список курсов: ${e.userMessage} (${e.detail})`].join("\n"),
        problems: [`Список курсов: ${e.userMessage}`],
      };
    }
    if (!attendance) {
      lines.push(
        "Плагин Attendance не установлен: уроков и посещаемости нет. Оценки из колонок lesson:<дата>#<номер> сохраняются без урока, но с датой урока из названия колонки; срок выставления устной оценки (в день урока) проверяется по этой дате.",
      );
    }
    const refuse = this.idRefusal(list);
    if (list.hidden.length > 0) {
      lines.push("Не хватает прав учётной записи:");
      for (const cap of list.hidden) lines.push(`- ${cap}: ${HIDDEN_CONSEQUENCE[cap]}`);
      lines.push(
        refuse
          ? `  Синхронизация остановится, чтобы идентификаторы не сменились после выдачи прав. ${ID_REMEDY}`
          : '  idSource "moodle": идентификаторы берутся из номеров и названий Moodle и не зависят от прав.',
      );
    }
    const problems: string[] = [];
    const groupHidden = new Set(list.groupHidden.map((c) => `course ${c.id}`));
    for (const c of list.groupHidden) {
      problems.push(
        `course ${c.id} «${c.fullname}»: не читается и пропускается — курс в режиме изолированных групп, а у учётной записи нет права ${ACCESS_ALL_GROUPS} («Доступ ко всем группам») и она не состоит ни в одной группе курса: Moodle отдаёт ей пустой список участников и отказывает в журнале оценок (notingroup). Ученики, работы и оценки курса не будут прочитаны. Выдайте учётной записи право ${ACCESS_ALL_GROUPS} на категории курсов.`,
      );
    }
    for (const r of list.rejected) {
      if (groupHidden.has(r.origin)) continue;
      problems.push(
        r.origin.startsWith("course ")
          ? `${r.origin}: пропускается — ${r.reason}`
          : `${r.origin}: не подходит под настройки сопоставления курсов и уходит в карантин — ${r.reason}`,
      );
    }
    // What each course's streams will call; a refused call skips that course's data, not the source.
    for (const ctx of list.contexts) {
      const name = `course ${ctx.course.id} «${ctx.course.fullname}»`;
      try {
        await this.reader.gradebook(ctx.course.id);
      } catch (e) {
        if (!isAccessError(e)) throw e;
        problems.push(`${name}: журнал оценок недоступен, оценки курса не будут прочитаны — ${e.detail}`);
      }
      if (attendance) {
        try {
          await this.reader.sessions(ctx.course.id);
        } catch (e) {
          if (!isAccessError(e)) throw e;
          problems.push(`${name}: посещаемость недоступна, уроки курса не будут прочитаны — ${e.detail}`);
        }
      }
    }
    try {
      const a = await this.reader.assignments();
      for (const w of a.rejected.get(0) ?? []) problems.push(`задания: ${w.reason}`);
      // Grades need mod/assign:grade per assignment; Moodle answers a warning where it is missing.
      const ids = [...a.byCourse.values()].flat().map((x) => x.id);
      if (ids.length > 0) {
        for (const w of (await this.reader.assignGrades(ids)).rejected)
          problems.push(`оценки заданий: ${w.reason}`);
      }
    } catch (e) {
      if (!isAccessError(e)) throw e;
      problems.push(`задания недоступны, работы и их оценки не будут прочитаны — ${e.detail}`);
    }
    if (problems.length > 0)
      lines.push("Курсы и данные, которые синхронизация не прочитает:", ...problems.map((p) => `- ${p}`));
    this.reader.reset();
    const rights = list.hidden.map((cap) => `Нет права ${cap}: ${HIDDEN_CONSEQUENCE[cap]}`);
    return {
      ok: !refuse,
      detail: lines.join("\n"),
      problems: [...(refuse ? [refuse.userMessage] : []), ...rights, ...problems],
    };
  }

  /** The refusal of a sync whose ids would change once the account gets its rights (idSource "idnumber"). */
  private idRefusal(list: CourseList): NotPermittedError | undefined {
    if (this.config.idSource !== "idnumber" || list.hidden.length === 0) return undefined;
    return new NotPermittedError({
      detail: `moodle: idnumber hidden from the account (missing ${list.hidden.join(", ")}); idSource "idnumber" refuses to take other ids`,
      userMessage: `Moodle не отдаёт этой учётной записи idnumber (${list.hidden.map((c) => `нет права ${c}`).join(", ")}). Без них классы, предметы и люди получили бы другие идентификаторы, и после выдачи прав все записи сменили бы их. Синхронизация остановлена. ${ID_REMEDY}`,
    });
  }

  async discover(): Promise<Discovery> {
    const info = await this.reader.siteInfo();
    const attendance = await this.reader.hasAttendance();
    const { school } = this.config;
    return {
      school: {
        id: school.id,
        name: school.name ?? info.sitename,
        timezone: school.timezone,
        workweek: school.workweek,
      },
      streams: [
        ...(this.config.periods ? (["periods"] as const) : []),
        ...MOODLE_BASE_STREAMS,
        ...(attendance ? MOODLE_ATTENDANCE_STREAMS : []),
      ],
    };
  }

  stats(): { requests: number; retries: number } {
    return this.client.stats();
  }

  read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>> {
    return this.readStream(stream, options) as AsyncIterable<Page<S>>;
  }

  private async *readStream(stream: StreamName, options: ReadOptions): AsyncGenerator<Page> {
    const signal = options.signal;
    const offered = (await this.discover()).streams as StreamName[];
    if (stream !== "periods") {
      const refuse = this.idRefusal(await this.reader.courses(signal));
      if (refuse) throw refuse;
    }
    if (!offered.includes(stream)) {
      throw new InvalidRequestError({
        detail: `moodle: stream "${stream}" is not offered by this site (offered: ${offered.join(", ")})`,
      });
    }
    switch (stream) {
      case "periods":
        // The school's regulation, from the config (validated there): one page, nothing to resume.
        yield { records: this.config.periods ?? [], rejected: [], cursor: null, scope: [{}], full: true };
        return;
      case "subjects":
      case "classes":
      case "persons": {
        // The roster is read whole, whatever the date window, unless a course was skipped: its people
        // were not seen, so this read proves no one absent.
        const whole = !skippedAny(await this.reader.courses(signal));
        yield {
          ...(await readRoster(this.deps, stream, signal)),
          cursor: null,
          scope: whole ? [{}] : [],
          full: whole,
        };
        return;
      }
      case "lessons":
        yield* this.perCourse("lessons", options, (ctx) => lessonsOf(this.deps, ctx, options));
        return;
      case "attendance":
        yield* this.perCourse("attendance", options, (ctx) => attendanceOf(this.deps, ctx, options));
        return;
      case "works":
        yield* this.perCourse("works", options, (ctx) => worksOf(this.deps, ctx, options));
        return;
      case "marks":
        yield* this.perCourse("marks", options, (ctx) => marksOf(this.deps, ctx, options));
        return;
      case "periodMarks":
        yield* this.perCourse("periodMarks", options, (ctx) => periodMarksOf(this.deps, ctx, options));
        return;
      default:
        throw new InvalidRequestError({ detail: `moodle: stream "${stream}" is not carried` });
    }
  }

  /** One page per course; the cursor names the next course so an interrupted read resumes there. */
  private async *perCourse<S extends StreamName>(
    stream: S,
    options: ReadOptions,
    build: (ctx: CourseContext) => Promise<Built<S>>,
  ): AsyncGenerator<Page<S>> {
    const start = parseCursor(options.cursor);
    const list = await this.reader.courses(options.signal);
    const { contexts } = list;
    // Marks and period marks are read whole per course; the other streams keep to the date window.
    const windowed = stream !== "marks" && stream !== "periodMarks";
    const window: ReadScope = windowed
      ? { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) }
      : {};
    // A read of every course without a window is a full read; a skipped course was not read at all.
    const skipped = skippedAny(list);
    const full = start === 0 && Object.keys(window).length === 0 && !skipped;
    if (start >= contexts.length) {
      yield {
        records: [],
        rejected: [],
        cursor: null,
        progress: { done: contexts.length, total: contexts.length },
        scope: start === 0 && !skipped ? [window] : [],
        full,
      };
      return;
    }
    for (let i = start; i < contexts.length; i += 1) {
      options.signal?.throwIfAborted();
      const built = await this.buildCourse(stream, contexts[i], build);
      const last = i === contexts.length - 1;
      yield {
        records: built.records,
        rejected: built.rejected,
        cursor: last ? null : `course:${i + 1}`,
        progress: { done: i + 1, total: contexts.length },
        // A course that could not be read covers nothing: its records are not proven absent.
        scope: built.unread ? [] : courseScope(contexts[i], window),
        ...(last ? { full: full && !contexts.some((c) => this.unread.has(c.course.id)) } : {}),
      };
    }
  }

  /** A course the account may not read (hidden, no capability) is one rejection, not a failed stream. */
  private async buildCourse<S extends StreamName>(
    stream: S,
    ctx: CourseContext,
    build: (ctx: CourseContext) => Promise<Built<S>>,
  ): Promise<Built<S>> {
    this.unread.delete(ctx.course.id);
    try {
      const built = await build(ctx);
      if (built.unread) this.unread.add(ctx.course.id);
      return built;
    } catch (e) {
      if (!isAccessError(e)) throw e;
      this.unread.add(ctx.course.id);
      return {
        unread: true,
        records: [],
        rejected: [
          {
            stream,
            origin: `course ${ctx.course.id}`,
            reason: `course not readable: ${e.detail}`,
            raw: null,
          },
        ],
      };
    }
  }
}

/** Some course was skipped as unreadable (origin `course N`), not merely left out as unmapped. */
function skippedAny(list: CourseList): boolean {
  return list.rejected.some((r) => r.origin.startsWith("course "));
}

/** The part of a stream one course holds: its subject, in its class or its class groups, in the window. */
function courseScope(ctx: CourseContext, window: ReadScope): ReadScope[] {
  const subjectId = ctx.meaning.subject.id;
  if (ctx.meaning.kind === "class-subject")
    return [{ ...window, classId: ctx.meaning.classRef.id, subjectId }];
  const classes = [...new Set([...ctx.groupClasses.values()].map((c) => c.id))];
  return classes.length > 0
    ? classes.map((classId) => ({ ...window, classId, subjectId }))
    : [{ ...window, subjectId }];
}

export function createMoodleConnector(config: MoodleConfig, deps: ConnectorDeps = {}): Connector {
  return new MoodleConnector(config, deps);
}
