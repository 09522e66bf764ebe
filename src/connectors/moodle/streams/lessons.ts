// Lessons and attendance from Attendance-plugin sessions: a session is a lesson of its course's
// class (or of its class group), taught by the course's lead teacher; `lasttaken` is when the
// attendance was (last) taken. Lessons are numbered by the bell schedule or by order in the day.
import { type Attendance, dateSchema, type Lesson } from "../../../model/records.ts";
import { NotFoundError, NotPermittedError } from "../../errors.ts";
import type { ReadOptions } from "../../types.ts";
import { type ClassRef, moodleIds, plainText, unixToClock, unixToDate, unixToInstant } from "../mapping.ts";
import type { CourseContext, CourseUser, Rejection } from "../site-reader.ts";
import type { AttendanceSession, GradeItem } from "../ws-types.ts";
import { type Built, classOfUser, finish, inWindow, type StreamDeps } from "./shared.ts";

export interface SessionLesson {
  session: AttendanceSession;
  ctx: CourseContext;
  lesson?: Lesson;
  rejection?: Rejection;
}

/** Every session of every course mapped to a lesson, numbered within its class and day. */
export function allLessons(
  deps: StreamDeps,
  signal?: AbortSignal,
): Promise<{ byCourse: Map<number, SessionLesson[]>; rejected: Map<number, Rejection[]> }> {
  return deps.reader.cached("lessons", async () => {
    const { contexts } = await deps.reader.courses(signal);
    const byCourse = new Map<number, SessionLesson[]>();
    const rejected = new Map<number, Rejection[]>();
    const all: SessionLesson[] = [];
    for (const ctx of contexts) {
      let got: Awaited<ReturnType<typeof deps.reader.sessions>>;
      try {
        got = await deps.reader.sessions(ctx.course.id, signal);
      } catch (e) {
        // One course the account may not take attendance in must not hide every other lesson.
        if (!(e instanceof NotPermittedError || e instanceof NotFoundError)) throw e;
        const reason = `attendance of the course not readable: ${e.detail}`;
        rejected.set(ctx.course.id, [{ origin: `course ${ctx.course.id}`, reason, raw: null }]);
        continue;
      }
      rejected.set(ctx.course.id, got.rejected);
      const list = got.sessions.map((session) => sessionToLesson(deps, ctx, session));
      byCourse.set(ctx.course.id, list);
      all.push(...list);
    }
    const days = new Map<string, Lesson[]>();
    for (const sl of all) {
      if (!sl.lesson) continue;
      const key = `${sl.lesson.classId}|${sl.lesson.date}`;
      days.set(key, [...(days.get(key) ?? []), sl.lesson]);
    }
    for (const lessons of days.values()) {
      lessons.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1));
      lessons.forEach((l, i) => {
        l.number = deps.mapping.lessonNumbers?.[l.start] ?? i + 1;
      });
    }
    return { byCourse, rejected };
  });
}

export function sessionToLesson(
  deps: StreamDeps,
  ctx: CourseContext,
  session: AttendanceSession,
): SessionLesson {
  const origin = `mod_attendance_get_sessions attendanceid=${session.attendanceid} session=${session.id}`;
  const fail = (reason: string, field?: string): SessionLesson => ({
    session,
    ctx,
    rejection: { origin, field, reason, raw: session },
  });
  const tz = deps.mapping.timezone;
  let classRef: ClassRef | undefined;
  if (ctx.meaning.kind === "class-subject") classRef = ctx.meaning.classRef;
  else {
    classRef = ctx.groupClasses.get(session.groupid);
    if (!classRef) return fail(`session group ${session.groupid} is not a class group`, "groupid");
  }
  // The lead teacher: of the session's group when classes are groups; who took it if a lead.
  const leads = [...ctx.users.values()].filter(
    (u) =>
      u.lead && (ctx.meaning.kind === "class-subject" || u.user.groups.some((g) => g.id === session.groupid)),
  );
  const taker = leads.find((u) => u.user.id === session.lasttakenby);
  const teacher = taker ?? (leads.length === 1 ? leads[0] : undefined);
  if (!teacher) {
    return fail(
      leads.length === 0
        ? "no lead teacher enrolled for the session"
        : "several lead teachers and none took the session",
      "lasttakenby",
    );
  }
  const endTs = session.sessdate + session.duration;
  const topic = plainText(session.description);
  const lesson: Lesson = {
    id: moodleIds.session(session.id),
    classId: classRef.id,
    subjectId: ctx.meaning.subject.id,
    teacherId: teacher.personId,
    date: unixToDate(session.sessdate, tz),
    number: 0,
    start: unixToClock(session.sessdate, tz),
    end: unixToClock(endTs, tz),
    ...(topic ? { topic } : {}),
    ...(session.lasttaken ? { attendanceRecordedAt: unixToInstant(session.lasttaken, tz) } : {}),
  };
  return { session, ctx, lesson };
}

export async function lessonsOf(
  deps: StreamDeps,
  ctx: CourseContext,
  options: ReadOptions,
): Promise<Built<"lessons">> {
  const { byCourse, rejected } = await allLessons(deps, options.signal);
  const list = byCourse.get(ctx.course.id) ?? [];
  const rejections = [
    ...(rejected.get(ctx.course.id) ?? []),
    ...list.flatMap((sl) => (sl.rejection ? [sl.rejection] : [])),
  ];
  const candidates = list
    .filter((sl) => sl.lesson && inWindow(sl.lesson.date, options))
    .map((sl) => ({
      record: sl.lesson,
      origin: sl.rejection?.origin ?? `session ${sl.session.id}`,
      raw: sl.session,
    }));
  // A course whose sessions were refused has no entry in byCourse.
  return { ...finish("lessons", candidates, rejections), unread: !byCourse.has(ctx.course.id) };
}

export async function attendanceOf(
  deps: StreamDeps,
  ctx: CourseContext,
  options: ReadOptions,
): Promise<Built<"attendance">> {
  const { byCourse } = await allLessons(deps, options.signal);
  const candidates: { record: Attendance; origin: string; raw: unknown }[] = [];
  const rejections: Rejection[] = [];
  for (const sl of byCourse.get(ctx.course.id) ?? []) {
    const origin = `mod_attendance_get_sessions session=${sl.session.id}`;
    if (!sl.lesson) {
      if (sl.session.attendance_log.length > 0) {
        rejections.push({
          origin,
          reason: `the session's lesson was rejected: ${sl.rejection?.reason}`,
          raw: sl.session.attendance_log,
        });
      }
      continue;
    }
    if (!inWindow(sl.lesson.date, options)) continue;
    const acronyms = new Map(sl.session.statuses.map((s) => [s.id, s.acronym]));
    for (const log of sl.session.attendance_log) {
      const student = ctx.users.get(log.studentid);
      const acronym = acronyms.get(log.statusid);
      const status =
        acronym === undefined ? undefined : deps.mapping.statuses.get(acronym.trim().toUpperCase());
      if (!student) {
        rejections.push({
          origin,
          field: "studentid",
          reason: `user ${log.studentid} is not enrolled in the course`,
          raw: log,
        });
      } else if (!status) {
        rejections.push({
          origin,
          field: "statusid",
          reason:
            acronym === undefined
              ? `status ${log.statusid} is not in the session's set`
              : `status "${acronym}" has no mapping`,
          raw: log,
        });
      } else {
        candidates.push({
          record: { studentId: student.personId, lessonId: sl.lesson.id, status },
          origin,
          raw: log,
        });
      }
    }
  }
  return { ...finish("attendance", candidates, rejections), unread: !byCourse.has(ctx.course.id) };
}

/** Lessons by class, subject and date, for grade items named after a lesson. */
export function lessonIndex(deps: StreamDeps, signal?: AbortSignal): Promise<Map<string, Lesson[]>> {
  return deps.reader.cached("lesson-index", async () => {
    const { byCourse } = await allLessons(deps, signal);
    const index = new Map<string, Lesson[]>();
    for (const list of byCourse.values()) {
      for (const sl of list) {
        if (!sl.lesson) continue;
        const key = `${sl.lesson.classId}|${sl.lesson.subjectId}|${sl.lesson.date}`;
        index.set(key, [...(index.get(key) ?? []), sl.lesson]);
      }
    }
    return index;
  });
}

/**
 * The day a grade item named after a lesson (`lesson:<date>#<n>`) names, for a mark whose lesson is
 * not known (no Attendance plugin, or no session that day): the mark keeps its lesson's day.
 */
export function lessonDateOfItem(deps: StreamDeps, item: GradeItem): string | undefined {
  const date = deps.mapping.lessonItem.exec(item.idnumber)?.groups?.date;
  return date !== undefined && dateSchema.safeParse(date).success ? date : undefined;
}

export function lessonOfItem(
  deps: StreamDeps,
  item: GradeItem,
  ctx: CourseContext,
  student: CourseUser,
  index: Map<string, Lesson[]> | undefined,
): string | undefined {
  if (!index) return undefined;
  const m = deps.mapping.lessonItem.exec(item.idnumber);
  if (!m?.groups?.date) return undefined;
  const classId = classOfUser(ctx, student)?.id;
  const lessons = index.get(`${classId}|${ctx.meaning.subject.id}|${m.groups.date}`) ?? [];
  if (m.groups.number !== undefined) return lessons.find((l) => l.number === Number(m.groups?.number))?.id;
  return lessons.length === 1 ? lessons[0].id : undefined;
}
