// One run's read of a BARS school: every pupil the account may select, one after another (the pupil is
// session state), each week of the window through GetDiary and GetHomeworkFromRange, the subperiods
// overlapping the window through GetSummaryMarks, the year's finals through GetTotalMarks. Every answer
// is validated; what cannot be mapped is rejected with its reason. Records of many pupils that are the
// same (a class's lessons, a teacher) are kept once.
import { DateTime } from "luxon";
import type { StreamName, StreamRecords } from "../../model/records.ts";
import { streamSchemas } from "../../model/records.ts";
import { InvalidRequestError, isConnectorError, NotFoundError, NotPermittedError } from "../errors.ts";
import type { RejectedRecord } from "../types.ts";
import type { BarsClient, Fetched } from "./client.ts";
import type { BarsConfig } from "./config.ts";
import {
  attendanceStatus,
  barsIds,
  cleanText,
  clock,
  markValue,
  parseClassYear,
  periodKind,
  schoolYearOf,
  workKindOf,
} from "./mapping.ts";
import {
  diaryLessonSchema,
  diarySchema,
  homeworkRangeSchema,
  type PersonData,
  personDataSchema,
  type SummaryMarks,
  summaryMarkSchema,
  summaryMarksSchema,
  totalMarksSchema,
  unwrapSummaryMarks,
  unwrapTotalMarks,
} from "./schemas.ts";

export interface Window {
  from: string;
  to: string;
}

export interface Pupil {
  id: string;
  name: string;
  classId?: string;
  grade?: number;
  letter?: string;
}

type Records = { [S in StreamName]: Map<string, StreamRecords[S]> };

/** The Mondays whose weeks meet the window. */
export function weeksOf(w: Window): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(w.from, { zone: "utc" }).startOf("week");
  const end = DateTime.fromISO(w.to, { zone: "utc" });
  while (d <= end) {
    out.push(d.toISODate()!);
    d = d.plus({ weeks: 1 });
  }
  return out;
}

const nextDay = (date: string) => DateTime.fromISO(date, { zone: "utc" }).plus({ days: 1 }).toISODate()!;

export class Harvest {
  readonly records: Records = {
    periods: new Map(),
    calendar: new Map(),
    subjects: new Map(),
    classes: new Map(),
    persons: new Map(),
    lessons: new Map(),
    works: new Map(),
    marks: new Map(),
    attendance: new Map(),
    periodMarks: new Map(),
    activity: new Map(),
    outages: new Map(),
  };
  readonly rejected: { [S in StreamName]?: RejectedRecord[] } = {};
  /** Classes some pupil of which could not be read: nothing of them is proven absent. */
  readonly unreadClasses = new Set<string>();
  /** Classes read (every pupil of them answered). */
  readonly classes = new Set<string>();
  pupilsRead = 0;
  private readonly periodDates = new Map<
    string,
    { start: string; end: string; code: string; name: string; classIds: Set<string> }
  >();

  constructor(
    private readonly client: BarsClient,
    private readonly config: BarsConfig,
    readonly window: Window,
  ) {}

  reject(stream: StreamName, origin: string, reason: string, raw: unknown, field?: string): void {
    const list = this.rejected[stream] ?? [];
    list.push({ stream, origin, reason, raw, ...(field ? { field } : {}) });
    this.rejected[stream] = list;
  }

  private put<S extends StreamName>(stream: S, key: string, record: StreamRecords[S], origin: string): void {
    const parsed = streamSchemas[stream].safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.reject(stream, origin, issue.message, record, issue.path.join("."));
      return;
    }
    if (!this.records[stream].has(key)) this.records[stream].set(key, parsed.data as StreamRecords[S]);
  }

  /** The pupils the account may select (GetPersonData), limited to `config.pupils` when set. */
  static pupilsOf(f: Fetched): { data: PersonData; pupils: Pupil[]; rejected: RejectedRecord[] } {
    const data = personDataSchema.parse(f.body);
    const pupils: Pupil[] = [];
    const rejected: RejectedRecord[] = [];
    for (const c of data.children_persons ?? []) {
      const cls = parseClassYear(c.classyear);
      const name = cleanText(c.fullname) ?? c.fullname;
      if (!cls) {
        rejected.push({
          stream: "persons",
          origin: f.origin,
          field: "classyear",
          reason: `class year not readable: "${(c.classyear ?? "").slice(0, 20)}"`,
          raw: { person_id: c.person_id },
        });
        pupils.push({ id: c.person_id, name });
        continue;
      }
      pupils.push({ id: c.person_id, name, classId: barsIds.classOf(cls), ...cls });
    }
    return { data, pupils, rejected };
  }

  /** Reads one pupil in full; an answer the account may not read marks the pupil's class unread. */
  async readPupil(pupil: Pupil, signal?: AbortSignal): Promise<void> {
    if (!pupil.classId) return;
    // The first pupil of a class walks the whole school year's subperiods: the periods need their dates.
    const first = !this.classes.has(pupil.classId);
    this.classes.add(pupil.classId);
    try {
      await this.client.setChild(pupil.id, signal);
      await this.pupil(pupil, first, signal);
      this.pupilsRead += 1;
    } catch (e) {
      if (!(e instanceof NotPermittedError || e instanceof InvalidRequestError || e instanceof NotFoundError))
        throw e;
      this.unreadClasses.add(pupil.classId);
      this.reject(
        "marks",
        `pupil ${pupil.id}`,
        `pupil not readable: ${isConnectorError(e) ? e.detail : String(e)}`,
        null,
      );
    }
  }

  private async pupil(p: Pupil, first: boolean, signal?: AbortSignal): Promise<void> {
    const classId = p.classId!;
    const { config, window } = this;
    this.put("classes", classId, { id: classId, grade: p.grade!, letter: p.letter! }, "GetPersonData");
    this.put("persons", p.id, { id: p.id, role: "student", name: p.name, classId }, "GetPersonData");
    // Lessons of this pupil by (date, subject), in lesson order: where a mark of that day belongs.
    const byDay = new Map<string, string[]>();
    const homework = new Map<string, string>();
    const lessonsSeen: {
      lessonId: string;
      date: string;
      subjectId: string;
      raw: Record<string, unknown>;
      origin: string;
    }[] = [];
    for (const monday of weeksOf(window)) {
      const hw = await this.client.api("HomeworkService/GetHomeworkFromRange", { date: monday }, signal);
      const hwParsed = homeworkRangeSchema.safeParse(hw.body);
      if (!hwParsed.success)
        this.reject("lessons", hw.origin, `homework answer: ${hwParsed.error.issues[0].message}`, null);
      else
        for (const day of hwParsed.data)
          for (const h of day.homeworks) {
            const text = cleanText(h.homework);
            const key = `${day.date.slice(0, 10)}|${barsIds.subject(cleanText(h.discipline) ?? h.discipline)}`;
            // Two entries for one discipline on one day (a double lesson) cannot be told apart: neither is used.
            if (text) homework.set(key, homework.has(key) ? "" : text);
          }
      const f = await this.client.api("ScheduleService/GetDiary", { date: monday, is_diary: true }, signal);
      const diary = diarySchema.safeParse(f.body);
      if (!diary.success) {
        this.unreadClasses.add(classId);
        this.reject("lessons", f.origin, `diary answer: ${diary.error.issues[0].message}`, null);
        continue;
      }
      for (const day of diary.data.days) {
        const date = day.date.slice(0, 10);
        if (date < window.from || date > window.to) continue;
        if (day.is_holiday) this.put("calendar", date, { date, kind: "holiday" }, f.origin);
        else if (day.is_vacation) this.put("calendar", date, { date, kind: "vacation" }, f.origin);
        let n = 0;
        for (const raw of day.lessons ?? []) {
          n += 1;
          const l = diaryLessonSchema.safeParse(raw);
          if (!l.success) {
            const issue = l.error.issues[0];
            this.reject("lessons", f.origin, issue.message, raw, issue.path.join("."));
            continue;
          }
          const lesson = l.data;
          const subjectName = cleanText(lesson.discipline) ?? lesson.discipline;
          const subjectId = barsIds.subject(subjectName);
          this.put("subjects", subjectId, { id: subjectId, name: subjectName }, f.origin);
          const teacherName = cleanText(lesson.teacher);
          if (!teacherName) {
            this.reject("lessons", f.origin, "lesson without a teacher", { id: lesson.id }, "teacher");
            continue;
          }
          const teacherId = barsIds.teacher(teacherName);
          this.put("persons", teacherId, { id: teacherId, role: "teacher", name: teacherName }, f.origin);
          const topic = cleanText(lesson.theme);
          const hwText = cleanText(lesson.homework);
          lessonsSeen.push({
            lessonId: lesson.id,
            date,
            subjectId,
            origin: f.origin,
            raw: {
              id: lesson.id,
              classId,
              subjectId,
              teacherId,
              date,
              number: lesson.index ?? n,
              start: clock(lesson.time_begin),
              end: clock(lesson.time_end),
              ...(topic ? { topic } : {}),
              ...(hwText ? { homework: hwText } : {}),
            },
          });
          const list = byDay.get(`${date}|${subjectId}`) ?? [];
          list.push(lesson.id);
          byDay.set(`${date}|${subjectId}`, list);
          if (lesson.is_control_work) {
            const workId = barsIds.work(classId, subjectId, date, "control");
            this.put(
              "works",
              workId,
              { id: workId, lessonId: lesson.id, classId, subjectId, kind: "control", date },
              f.origin,
            );
          }
          const status = attendanceStatus(lesson.attendance, config.attendanceCodes);
          if (status === null) {
            this.reject(
              "attendance",
              f.origin,
              `unknown attendance code "${cleanText(lesson.attendance)}"`,
              { lesson: lesson.id, pupil: p.id },
              "attendance",
            );
          } else if (status !== undefined) {
            this.put(
              "attendance",
              `${p.id}|${lesson.id}`,
              { studentId: p.id, lessonId: lesson.id, status },
              f.origin,
            );
          }
        }
      }
    }
    // Homework: the diary's text, else the homework list's text for the lesson's day and discipline.
    for (const l of lessonsSeen) {
      // Only where the day has one lesson of the discipline: the list does not say which lesson it is for.
      const single = byDay.get(`${l.date}|${l.subjectId}`)?.length === 1;
      const extra = single ? homework.get(`${l.date}|${l.subjectId}`) : undefined;
      const record = l.raw.homework === undefined && extra ? { ...l.raw, homework: extra } : l.raw;
      this.put("lessons", l.lessonId, record as StreamRecords["lessons"], l.origin);
    }
    const year = schoolYearOf(window.from);
    const walk = first ? { from: `${year}-09-01`, to: `${year + 1}-08-31` } : window;
    await this.summaryMarks(p, classId, byDay, walk, signal);
    await this.totalMarks(p, signal);
  }

  /** The subperiods that meet the window, one GetSummaryMarks each, walking from the window's start. */
  private async summaryMarks(
    p: Pupil,
    classId: string,
    byDay: Map<string, string[]>,
    walk: Window,
    signal?: AbortSignal,
  ): Promise<void> {
    const { window, config } = this;
    const seen = new Set<string>();
    let date = walk.from;
    for (let i = 0; i < 12; i += 1) {
      const f = await this.client.api("MarkService/GetSummaryMarks", { date }, signal);
      const parsed = summaryMarksSchema.safeParse(unwrapSummaryMarks(f.body));
      if (!parsed.success) {
        this.unreadClasses.add(classId);
        this.reject("marks", f.origin, `summary marks answer: ${parsed.error.issues[0].message}`, null);
        return;
      }
      const sm: SummaryMarks = parsed.data;
      if (seen.has(sm.subperiod.code)) return;
      seen.add(sm.subperiod.code);
      const dates = sm.dates.map((d) => d.slice(0, 10)).sort();
      if (dates.length > 0)
        this.notePeriod(sm.subperiod.code, sm.subperiod.name, dates[0], dates[dates.length - 1], classId);
      for (const dm of sm.discipline_marks) {
        const subjectName = cleanText(dm.discipline) ?? dm.discipline;
        const subjectId = barsIds.subject(subjectName);
        const positions = new Map<string, number>();
        for (const raw of dm.marks) {
          const m = summaryMarkSchema.safeParse(raw);
          if (!m.success) {
            this.reject("marks", f.origin, m.error.issues[0].message, raw, m.error.issues[0].path.join("."));
            continue;
          }
          const day = m.data.date.slice(0, 10);
          const position = (positions.get(day) ?? 0) + 1;
          positions.set(day, position);
          if (day < window.from || day > window.to) continue;
          const value = markValue(m.data.mark);
          const id = barsIds.mark(p.id, subjectId, day, position);
          if (value === null) {
            this.reject("marks", f.origin, `not a mark: "${m.data.mark.slice(0, 10)}"`, { id }, "mark");
            continue;
          }
          this.put("subjects", subjectId, { id: subjectId, name: subjectName }, f.origin);
          const lessonId = byDay.get(`${day}|${subjectId}`)?.[0];
          const description = cleanText(m.data.description);
          const kind = workKindOf(description, config);
          let workId: string | undefined;
          if (kind !== "lesson") {
            workId = barsIds.work(classId, subjectId, day, kind);
            this.put(
              "works",
              workId,
              { id: workId, ...(lessonId ? { lessonId } : {}), classId, subjectId, kind, date: day },
              f.origin,
            );
          }
          this.put(
            "marks",
            id,
            {
              id,
              studentId: p.id,
              subjectId,
              ...(workId ? { workId } : {}),
              ...(lessonId ? { lessonId } : { lessonDate: day }),
              value,
            },
            f.origin,
          );
        }
      }
      const last = dates[dates.length - 1];
      if (!last || last >= walk.to) return;
      date = nextDay(last);
    }
  }

  private notePeriod(code: string, name: string, start: string, end: string, classId: string): void {
    const was = this.periodDates.get(code);
    if (!was) {
      this.periodDates.set(code, { code, name, start, end, classIds: new Set([classId]) });
      return;
    }
    if (start < was.start) was.start = start;
    if (end > was.end) was.end = end;
    was.classIds.add(classId);
  }

  private async totalMarks(p: Pupil, signal?: AbortSignal): Promise<void> {
    const f = await this.client.api("MarkService/GetTotalMarks", undefined, signal);
    const parsed = totalMarksSchema.safeParse(unwrapTotalMarks(f.body));
    if (!parsed.success) {
      this.reject("periodMarks", f.origin, `total marks answer: ${parsed.error.issues[0].message}`, null);
      return;
    }
    const year = schoolYearOf(this.window.from);
    for (const dm of parsed.data.discipline_marks) {
      const subjectName = cleanText(dm.discipline) ?? dm.discipline;
      const subjectId = barsIds.subject(subjectName);
      for (const pm of dm.period_marks) {
        const raw = pm.mark === null || pm.mark === undefined ? "" : String(pm.mark);
        if (cleanText(raw) === undefined) continue; // not yet given
        const value = markValue(raw);
        const periodId = barsIds.period(year, pm.subperiod_code);
        if (value === null) {
          this.reject(
            "periodMarks",
            f.origin,
            `not a mark: "${raw.slice(0, 10)}"`,
            { studentId: p.id, subjectId, periodId },
            "mark",
          );
          continue;
        }
        this.put("subjects", subjectId, { id: subjectId, name: subjectName }, f.origin);
        this.put(
          "periodMarks",
          `${p.id}|${subjectId}|${periodId}`,
          { studentId: p.id, subjectId, periodId, value },
          f.origin,
        );
      }
    }
    for (const sp of parsed.data.subperiods) this.subperiodNames.set(sp.code, sp.name);
  }

  private readonly subperiodNames = new Map<string, string>();

  /** Periods with their dates: subperiods seen in GetSummaryMarks, the year spanning them. */
  finishPeriods(): void {
    const year = schoolYearOf(this.window.from);
    const all = [...this.periodDates.values()];
    for (const p of all) {
      const kind = periodKind(p.code, p.name);
      if (!kind) {
        this.reject("periods", "MarkService/GetSummaryMarks", `unknown subperiod "${p.code}"`, {
          code: p.code,
        });
        continue;
      }
      const id = barsIds.period(year, p.code);
      this.put(
        "periods",
        id,
        {
          id,
          ...kind,
          start: p.start,
          end: p.end,
          ...(p.classIds.size < this.classes.size ? { classIds: [...p.classIds].sort() } : {}),
        },
        "MarkService/GetSummaryMarks",
      );
    }
    for (const [code, name] of this.subperiodNames) {
      const kind = periodKind(code, name);
      if (kind?.kind !== "year" || all.length === 0) continue;
      const id = barsIds.period(year, code);
      const start = all.map((p) => p.start).sort()[0];
      const end = all
        .map((p) => p.end)
        .sort()
        .at(-1)!;
      this.put("periods", id, { id, kind: "year", number: 1, start, end }, "MarkService/GetTotalMarks");
    }
  }
}
