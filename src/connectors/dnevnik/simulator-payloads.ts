// The Dnevnik simulator's view of a canonical Dataset: indexed once, then served in the platform's
// JSON shapes (platforms/dnevnik.md §4, real-shapes.md §1): int64 ids beyond 2^53 as number literals plus
// `_str` twins (work types too), naive school-local date-times, entry times with fractional seconds,
// bell times as UTC date-times, PascalCase staff and timetables, hyphenated final-mark keys.
import { DateTime } from "luxon";
import type { Dataset } from "../../dataset/types.ts";
import type {
  Attendance,
  CalendarDay,
  Lesson,
  Mark,
  Period,
  PeriodMark,
  Person,
  SchoolClass,
  StreamName,
  Work,
  WorkKind,
} from "../../model/records.ts";
import { PlatformInt, type SimEntity, simulatedIdPair } from "./simulated-ids.ts";
import { naiveLocal, naiveLocalPrecise, offsetHoursOf, utcOfLocal } from "./time.ts";

type Json = Record<string, unknown>;

const big = (entity: SimEntity, id: string): PlatformInt => simulatedIdPair(entity, id).int;
const sid = (entity: SimEntity, id: string) => simulatedIdPair(entity, id);

export const POSITION_OF_ROLE: Record<string, string> = {
  teacher: "Учитель",
  deputy: "Заместитель директора по УВР",
  director: "Директор",
  admin: "Администратор",
  coordinator: "Координатор ЭЖ",
};

export const WORK_TYPE_TITLES: Record<WorkKind, string> = {
  oral: "Ответ на уроке",
  written: "Письменная работа",
  test: "Тест",
  control: "Контрольная работа",
  lab: "Лабораторная работа",
  practical: "Практическая работа",
  regional: "Региональная диагностическая работа",
  federal: "Всероссийская проверочная работа",
  intermediate: "Промежуточная аттестация",
  final: "Итоговая аттестация",
};

const PERIOD_TYPES: Record<Period["kind"], string> = {
  quarter: "Quarter",
  semester: "Semester",
  trimester: "Trimester",
  year: "Year",
};

// `Pass` is the everyday absence code; no code is known to say "excused" (real-shapes.md D5), so an
// excused absence goes out as a plain one.
const ATTENDANCE_STATUS: Record<Attendance["status"], string> = {
  present: "Attend",
  absent: "Pass",
  ill: "Ill",
  late: "Late",
  excused: "Pass",
};

/** The `marks/values` key of a journal value: `mark5` for digits, `markna`, `markdismiss` (осв), `test` (зч/нз). */
function markSystem(value: Mark["value"]): string {
  if (typeof value === "number" || /^\d$/.test(value)) return "mark5";
  if (value === "н/а") return "markna";
  if (value === "осв") return "markdismiss";
  return "test";
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function splitName(name: string): { last: string; first: string; middle: string | null } {
  const [last = "", first = "", ...rest] = name.trim().split(/\s+/);
  return { last, first, middle: rest.length ? rest.join(" ") : null };
}

function shortName(name: string): string {
  const { last, first, middle } = splitName(name);
  return [last, first ? `${first[0]}.` : "", middle ? `${middle[0]}.` : ""].join(" ").trim();
}

const midnight = (date: string) => `${date}T00:00:00`;

function inRange(date: string, from?: string, to?: string): boolean {
  return (!from || date >= from) && (!to || date <= to);
}

/** First index whose key is >= value in a list sorted by key. */
function lowerBound<T>(items: T[], key: (t: T) => string, value: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slice<T>(items: T[], key: (t: T) => string, from?: string, to?: string): T[] {
  const a = from ? lowerBound(items, key, from) : 0;
  const b = to ? lowerBound(items, key, `${to}\uffff`) : items.length;
  return items.slice(a, b);
}

interface DatedMark {
  mark: Mark;
  date: string;
  lesson?: Lesson;
  work?: Work;
}

interface GroupIndex {
  cls: SchoolClass;
  students: Person[];
  lessons: Lesson[];
  marks: DatedMark[];
  attendance: { entry: Attendance; date: string; subject: string }[];
  periodMarks: PeriodMark[];
  timetable: Json;
}

/** A stream and the canonical record whose platform form is to be broken by the `malformed` fault. */
export type MalformedTarget = { stream: StreamName; key: string } | null;

export class SimulatorIndex {
  readonly zone: string;
  readonly schoolBig: PlatformInt;
  private readonly groups = new Map<string, GroupIndex>();
  private readonly lessonsByBig = new Map<string, Lesson>();
  private readonly worksByLesson = new Map<string, Work[]>();
  private readonly workTypeIds = new Map<string, PlatformInt>();
  private readonly workTypeList: Json[] = [];
  private readonly workTypeOfWork = new Map<string, PlatformInt>();
  /** Each pupil's attendance by lesson date: the working client reads attendance per pupil. */
  private readonly attendanceOfPupil = new Map<string, { entry: Attendance; date: string }[]>();
  private readonly pupils = new Set<string>();
  private readonly staff: Person[];
  private readonly holidays: { from: string; to: string; kind: CalendarDay["kind"] }[];
  /** First record of each stream, for the malformed-record fault. */
  readonly firstKeys = new Map<StreamName, string>();
  malformed: StreamName | null = null;

  constructor(private readonly dataset: Dataset) {
    const s = dataset.streams;
    this.zone = dataset.manifest.school.timezone;
    this.schoolBig = big("school", dataset.manifest.school.id);
    this.staff = s.persons.filter((p) => p.role !== "student" && p.role !== "parent");
    const students = s.persons.filter((p) => p.role === "student" && p.classId);
    const lessonsById = new Map(s.lessons.map((l) => [l.id, l]));
    const worksById = new Map(s.works.map((w) => [w.id, w]));

    for (const cls of s.classes) {
      this.groups.set(big("class", cls.id).toString(), {
        cls,
        students: [],
        lessons: [],
        marks: [],
        attendance: [],
        periodMarks: [],
        timetable: {},
      });
    }
    const groupOf = (classId: string | undefined) =>
      classId === undefined ? undefined : this.groups.get(big("class", classId).toString());
    const studentClass = new Map(students.map((p) => [p.id, p.classId]));
    for (const p of students) {
      const g = groupOf(p.classId);
      g?.students.push(p);
      if (g) this.pupils.add(big("person", p.id).toString());
    }
    for (const l of s.lessons) {
      groupOf(l.classId)?.lessons.push(l);
      this.lessonsByBig.set(big("lesson", l.id).toString(), l);
    }
    for (const w of s.works) {
      if (!w.lessonId || !lessonsById.has(w.lessonId)) continue; // the platform ties works to lessons
      const list = this.worksByLesson.get(w.lessonId) ?? [];
      list.push(w);
      this.worksByLesson.set(w.lessonId, list);
    }
    const firstMarkOfWork = new Map<string, Mark>();
    for (const m of s.marks) {
      const work = m.workId ? worksById.get(m.workId) : undefined;
      const lesson = lessonsById.get(m.lessonId ?? work?.lessonId ?? "");
      if (!lesson) continue; // without a lesson the platform cannot tell the mark's subject
      if (m.workId && !firstMarkOfWork.has(m.workId)) firstMarkOfWork.set(m.workId, m);
      groupOf(lesson.classId)?.marks.push({ mark: m, date: lesson.date, lesson, work });
      if (!this.firstKeys.has("marks")) this.firstKeys.set("marks", m.id);
    }
    for (const a of s.attendance) {
      const lesson = lessonsById.get(a.lessonId);
      if (!lesson) continue;
      const subject = big("subject", lesson.subjectId).toString();
      groupOf(lesson.classId)?.attendance.push({ entry: a, date: lesson.date, subject });
      const pupil = big("person", a.studentId).toString();
      const list = this.attendanceOfPupil.get(pupil) ?? [];
      list.push({ entry: a, date: lesson.date });
      this.attendanceOfPupil.set(pupil, list);
    }
    for (const pm of s.periodMarks) groupOf(studentClass.get(pm.studentId))?.periodMarks.push(pm);

    // Work types: one per (kind, weight), as schools configure them; all known before serving.
    for (const w of s.works)
      this.workTypeOfWork.set(w.id, this.typeOf(w.kind, firstMarkOfWork.get(w.id)?.weight));
    for (const g of this.groups.values())
      for (const m of g.marks) this.typeOf(m.work?.kind ?? "oral", m.mark.weight);

    for (const g of this.groups.values()) {
      g.lessons.sort((a, b) => (a.date === b.date ? a.number - b.number : a.date < b.date ? -1 : 1));
      g.marks.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      g.attendance.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      g.timetable = this.timetableOf(g);
    }
    for (const list of this.attendanceOfPupil.values())
      list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

    const offDays = s.calendar.filter((d) => d.kind !== "workday").sort((a, b) => (a.date < b.date ? -1 : 1));
    this.holidays = [];
    for (const d of offDays) {
      const last = this.holidays[this.holidays.length - 1];
      const next = last ? DateTime.fromISO(last.to).plus({ days: 1 }).toISODate() : null;
      if (last && last.kind === d.kind && next === d.date) last.to = d.date;
      else this.holidays.push({ from: d.date, to: d.date, kind: d.kind });
    }

    const first = <T>(stream: StreamName, items: T[], key: (t: T) => string) => {
      if (items.length && !this.firstKeys.has(stream)) this.firstKeys.set(stream, key(items[0]));
    };
    first("persons", students, (p) => p.id);
    first("classes", s.classes, (c) => c.id);
    first("subjects", s.subjects, (x) => x.id);
    first("periods", s.periods, (p) => p.id);
    first("calendar", this.holidays, (h) => h.from);
    first("lessons", s.lessons, (l) => l.id);
    first(
      "works",
      s.works.filter((w) => w.lessonId && lessonsById.has(w.lessonId)),
      (w) => w.id,
    );
    first("attendance", s.attendance, (a) => `${a.studentId}|${a.lessonId}`);
    first("periodMarks", s.periodMarks, (p) => `${p.studentId}|${p.subjectId}|${p.periodId}`);
  }

  private typeOf(kind: WorkKind, weight: number | undefined): PlatformInt {
    const key = `${kind}|${weight ?? ""}`;
    let id = this.workTypeIds.get(key);
    if (id === undefined) {
      id = big("work-type", key);
      this.workTypeIds.set(key, id);
      this.workTypeList.push({
        id,
        id_str: id.toString(),
        schoolId: this.schoolBig,
        kindId: this.workTypeList.length + 1,
        kind,
        title: WORK_TYPE_TITLES[kind],
        abbr: WORK_TYPE_TITLES[kind].slice(0, 3),
        weight: weight ?? null,
      });
    }
    return id;
  }

  private broken(stream: StreamName, key: string): boolean {
    return this.malformed === stream && this.firstKeys.get(stream) === key;
  }

  hasGroup(groupBig: string): boolean {
    return this.groups.has(groupBig);
  }

  private timetableOf(g: GroupIndex): Json {
    // (number, start, end) → weekdays seen; the bell schedule of the class.
    const slots = new Map<string, { number: number; start: string; end: string; days: Set<number> }>();
    for (const l of g.lessons) {
      const key = `${l.number}|${l.start}|${l.end}`;
      const slot = slots.get(key) ?? {
        number: l.number,
        start: l.start,
        end: l.end,
        days: new Set<number>(),
      };
      slot.days.add(DateTime.fromISO(l.date).weekday);
      slots.set(key, slot);
    }
    // Full date-times in UTC, as the working client reads them (`fromisoformat`, `Z`: real-shapes.md D7).
    const day = `${this.studyYear()}-09-01`;
    const items = [...slots.values()]
      .sort((a, b) => a.number - b.number || (a.start < b.start ? -1 : 1))
      .map((slot, i) => ({
        Id: i + 1,
        Start: utcOfLocal(day, slot.start, this.zone),
        Finish: utcOfLocal(day, slot.end, this.zone),
        Name: `${slot.number} урок`,
        Type: "Lesson",
        DaysOfWeek: [...slot.days].sort().map((d) => WEEKDAYS[d - 1]),
        LessonNumber: slot.number,
      }));
    return {
      Name: "Основное расписание звонков",
      Start: items[0]?.Start ?? null,
      FirstLessonNumber: items[0]?.LessonNumber ?? 1,
      Items: items,
    };
  }

  // ------------------------------------------------------------ payloads

  me(): Json {
    return {
      id: sid("user", "reglament").int,
      id_str: sid("user", "reglament").str,
      personId: sid("person", "reglament-service").int,
      personId_str: sid("person", "reglament-service").str,
      name: "Интеграция reglament",
      roles: ["EduSchoolAdministrator"],
      timezone: this.zone,
    };
  }

  school(): Json {
    const m = this.dataset.manifest.school;
    return {
      id: this.schoolBig,
      id_str: this.schoolBig.toString(),
      name: m.name,
      fullName: m.name,
      timeZone: offsetHoursOf(this.zone),
      markType: "mark5",
      uses_avg: true,
      uses_weighted_avg: true,
      educationType: "Regular",
    };
  }

  teachers(): Json[] {
    return this.staff.map((p) => {
      const n = splitName(p.name);
      const id = big("person", p.id);
      const user = big("user", p.id);
      return {
        Id: id,
        IdStr: id.toString(),
        UserId: user,
        UserIdStr: user.toString(),
        FirstName: n.first,
        LastName: n.last,
        MiddleName: n.middle,
        ShortName: shortName(p.name),
        Sex: null,
        DateBirth: null,
        Email: null,
        Subjects: "",
        HouseMaster: this.dataset.streams.classes.some((c) => c.classTeacherId === p.id),
        NameTeacherPosition: POSITION_OF_ROLE[p.role] ?? "Учитель",
        TeachingStaff: p.role === "teacher",
      };
    });
  }

  private studyYear(): number {
    const starts = this.dataset.streams.periods.map((p) => p.start).sort();
    const d = starts[0] ?? this.dataset.manifest.observedAt.slice(0, 10);
    return Number(d.slice(0, 4));
  }

  eduGroups(): Json[] {
    return [...this.groups.values()].map((g) => this.eduGroup(g));
  }

  eduGroup(g: GroupIndex | string): Json {
    const group = typeof g === "string" ? this.groups.get(g)! : g;
    const c = group.cls;
    const broken = this.broken("classes", c.id);
    return {
      id: sid("class", c.id).int,
      id_str: sid("class", c.id).str,
      parentIds: [],
      parentIds_str: [],
      type: "Group",
      name: `${c.grade}${c.letter}`,
      fullName: `${c.grade}${c.letter}`,
      parallel: broken ? 42 : c.grade,
      timetable: null,
      status: "Active",
      studyyear: this.studyYear(),
      subjects: [],
      journaltype: "Default",
    };
  }

  private person(p: Person, brokenStream?: StreamName): Json {
    const n = splitName(p.name);
    const out: Json = {
      id: sid("person", p.id).int,
      id_str: sid("person", p.id).str,
      userId: sid("user", p.id).int,
      userId_str: sid("user", p.id).str,
      firstName: n.first,
      lastName: n.last,
      middleName: n.middle,
      shortName: shortName(p.name),
      sex: null,
    };
    if (brokenStream && this.broken(brokenStream, p.id)) out.id_str = null;
    return out;
  }

  students(groupBig: string): Json[] {
    return this.groups.get(groupBig)!.students.map((p) => this.person(p, "persons"));
  }

  classTeacher(groupBig: string): Json | null {
    const id = this.groups.get(groupBig)!.cls.classTeacherId;
    const teacher = id ? this.staff.find((p) => p.id === id) : undefined;
    return teacher ? this.person(teacher) : null;
  }

  subjects(): Json[] {
    return this.dataset.streams.subjects.map((x) => ({
      id: sid("subject", x.id).int,
      id_str: sid("subject", x.id).str,
      name: this.broken("subjects", x.id) ? null : x.name,
      knowledgeArea: null,
      fgosSubjectId: null,
      espSubjectName: null,
    }));
  }

  reportingPeriods(): Json[] {
    return this.dataset.streams.periods.map((p) => ({
      id: sid("period", p.id).int,
      id_str: sid("period", p.id).str,
      start: this.broken("periods", p.id) ? "not a date" : midnight(p.start),
      finish: midnight(p.end),
      number: p.number,
      type: PERIOD_TYPES[p.kind],
      name: `${p.number} ${p.kind === "quarter" ? "четверть" : p.kind === "semester" ? "полугодие" : p.kind === "trimester" ? "триместр" : "год"}`,
      year: this.studyYear(),
    }));
  }

  reportingPeriodGroup(): Json {
    const groupId = big("period-group", this.dataset.manifest.school.id);
    return {
      id: groupId,
      id_str: groupId.toString(),
      reportingPeriods: this.reportingPeriods(),
      holidays: this.holidays.map((h) => ({
        id: sid("holiday", h.from).int,
        id_str: sid("holiday", h.from).str,
        reportingPeriodGroupId: groupId,
        dateStart: this.broken("calendar", h.from) ? "31.02.2026" : midnight(h.from),
        dateFinish: midnight(h.to),
        name: h.kind === "vacation" ? "Каникулы" : "Праздничный день",
        description: null,
      })),
    };
  }

  timetable(groupBig: string): Json {
    return this.groups.get(groupBig)!.timetable;
  }

  workTypes(): Json[] {
    return this.workTypeList;
  }

  private subjectName(id: string): string {
    return this.dataset.streams.subjects.find((x) => x.id === id)?.name ?? "";
  }

  private work(w: Work, l: Lesson): Json {
    const out: Json = {
      id: sid("work", w.id).int,
      id_str: sid("work", w.id).str,
      type: "CommonWork",
      workType: this.workTypeOfWork.get(w.id) ?? this.typeOf(w.kind, undefined),
      markType: "LogEntry",
      markCount: 1,
      lesson: sid("lesson", l.id).int,
      lesson_str: sid("lesson", l.id).str,
      displayInJournal: true,
      status: "Sent",
      eduGroup: sid("class", w.classId).int,
      eduGroup_str: sid("class", w.classId).str,
      tasks: [],
      text: WORK_TYPE_TITLES[w.kind],
      periodNumber: 0,
      periodType: "Quarter",
      subjectId: big("subject", w.subjectId),
      isImportant: w.kind !== "oral",
      targetDate: this.broken("works", w.id) ? "никогда" : midnight(w.date),
      sentDate: null,
      createdBy: null,
      files: [],
      oneDriveLinks: [],
    };
    return out;
  }

  private homework(l: Lesson): Json {
    return {
      id: sid("homework", l.id).int,
      id_str: sid("homework", l.id).str,
      type: "Homework",
      workType: null,
      markType: "LogEntry",
      markCount: 0,
      lesson: sid("lesson", l.id).int,
      lesson_str: sid("lesson", l.id).str,
      displayInJournal: true,
      status: "Sent",
      eduGroup: sid("class", l.classId).int,
      eduGroup_str: sid("class", l.classId).str,
      tasks: [],
      text: l.homework,
      periodNumber: 0,
      periodType: "Quarter",
      subjectId: big("subject", l.subjectId),
      isImportant: false,
      targetDate: midnight(l.date),
      // When the homework was published: the API's only entry timestamp for it (§5).
      sentDate: l.homeworkRecordedAt ? naiveLocal(l.homeworkRecordedAt, this.zone) : null,
      createdBy: null,
      files: [],
      oneDriveLinks: [],
    };
  }

  private lesson(l: Lesson): Json {
    const works: Json[] = (this.worksByLesson.get(l.id) ?? []).map((w) => this.work(w, l));
    if (l.homework) works.push(this.homework(l));
    const teacher = big("person", l.teacherId);
    return {
      id: sid("lesson", l.id).int,
      id_str: sid("lesson", l.id).str,
      title: l.topic ?? null,
      date: this.broken("lessons", l.id) ? "2026-13-45T00:00:00" : midnight(l.date),
      number: l.number,
      subject: {
        id: sid("subject", l.subjectId).int,
        id_str: sid("subject", l.subjectId).str,
        name: this.subjectName(l.subjectId),
      },
      group: sid("class", l.classId).int,
      group_str: sid("class", l.classId).str,
      status: "Passed",
      resultPlaceId: null,
      works,
      teachers: [teacher],
      teachers_str: [teacher.toString()],
    };
  }

  lessons(groupBig: string, from: string, to: string): Json[] {
    return slice(this.groups.get(groupBig)!.lessons, (l) => l.date, from, to).map((l) => this.lesson(l));
  }

  lessonById(lessonBig: string): Json | null {
    const l = this.lessonsByBig.get(lessonBig);
    return l ? this.lesson(l) : null;
  }

  private markValue(value: Mark["value"]): string {
    return typeof value === "number" ? String(value) : value.toUpperCase();
  }

  marks(groupBig: string, from: string, to: string): Json[] {
    return slice(this.groups.get(groupBig)!.marks, (m) => m.date, from, to).map(({ mark: m, date, work }) => {
      const value = this.broken("marks", m.id) ? "??" : this.markValue(m.value);
      return {
        id: sid("mark", m.id).int,
        id_str: sid("mark", m.id).str,
        type: markSystem(m.value),
        value,
        textValue: value,
        person: sid("person", m.studentId).int,
        person_str: sid("person", m.studentId).str,
        work: m.workId ? sid("work", m.workId).int : null,
        work_str: m.workId ? sid("work", m.workId).str : null,
        lesson: m.lessonId ? sid("lesson", m.lessonId).int : null,
        lesson_str: m.lessonId ? sid("lesson", m.lessonId).str : null,
        number: 0,
        // «Дата выставления»: the entry time with a fraction; a mark the dataset has no entry time for
        // gets its lesson's day, which proves no entry time.
        date: m.recordedAt ? naiveLocalPrecise(m.recordedAt, this.zone) : midnight(date),
        workType: this.typeOf(work?.kind ?? "oral", m.weight),
        mood: m.value === "5" || m.value === 5 || m.value === "4" || m.value === 4 ? "Good" : "Average",
        use_avg_calc: true,
      };
    });
  }

  private logEntry(a: Attendance): Json {
    return {
      person: sid("person", a.studentId).int,
      person_str: sid("person", a.studentId).str,
      lesson: sid("lesson", a.lessonId).int,
      lesson_str: sid("lesson", a.lessonId).str,
      comment: null,
      status: this.broken("attendance", `${a.studentId}|${a.lessonId}`)
        ? "Teleported"
        : ATTENDANCE_STATUS[a.status],
      createdDate: a.recordedAt ? naiveLocalPrecise(a.recordedAt, this.zone) : null,
    };
  }

  /** `lesson-log-entries/group/{g}?subject&from&to`: the swagger's call is per subject. */
  logEntries(groupBig: string, subjectBig: string, from?: string, to?: string): Json[] {
    return this.groups
      .get(groupBig)!
      .attendance.filter((a) => a.subject === subjectBig && inRange(a.date, from, to))
      .map(({ entry }) => this.logEntry(entry));
  }

  hasPupil(personBig: string): boolean {
    return this.pupils.has(personBig);
  }

  /** `persons/{p}/lesson-log-entries?startDate&endDate` → `{logEntries, lessons}` (the working client's read). */
  pupilLogEntries(personBig: string, from?: string, to?: string): Json {
    const entries = slice(this.attendanceOfPupil.get(personBig) ?? [], (a) => a.date, from, to);
    const lessons = new Map<string, Lesson>();
    for (const { entry } of entries) {
      const l = this.lessonsByBig.get(big("lesson", entry.lessonId).toString());
      if (l) lessons.set(l.id, l);
    }
    return {
      logEntries: entries.map(({ entry }) => this.logEntry(entry)),
      lessons: [...lessons.values()].map((l) => ({
        id: sid("lesson", l.id).int,
        id_str: sid("lesson", l.id).str,
        title: l.topic ?? null,
        date: midnight(l.date),
        number: l.number,
        subject: {
          id: sid("subject", l.subjectId).int,
          id_str: sid("subject", l.subjectId).str,
          name: this.subjectName(l.subjectId),
        },
      })),
    };
  }

  finalMarks(groupBig: string): Json[] {
    const byStudentPeriod = new Map<string, PeriodMark[]>();
    for (const pm of this.groups.get(groupBig)!.periodMarks) {
      const key = `${pm.studentId}|${pm.periodId}`;
      const list = byStudentPeriod.get(key) ?? [];
      list.push(pm);
      byStudentPeriod.set(key, list);
    }
    return [...byStudentPeriod.values()].map((list) => ({
      person: sid("person", list[0].studentId).int,
      person_str: sid("person", list[0].studentId).str,
      group: new PlatformInt(groupBig),
      group_str: groupBig,
      reportingPeriod: sid("period", list[0].periodId).int,
      reportingPeriod_str: sid("period", list[0].periodId).str,
      "per-subject-final-marks": list.map((pm) => {
        const key = `${pm.studentId}|${pm.subjectId}|${pm.periodId}`;
        const value = this.broken("periodMarks", key) ? "??" : this.markValue(pm.value);
        return {
          subject: sid("subject", pm.subjectId).int,
          subject_str: sid("subject", pm.subjectId).str,
          "final-mark": {
            id: sid("final-mark", key).int,
            id_str: sid("final-mark", key).str,
            type: "mark5",
            value,
            textValue: value,
            person: sid("person", pm.studentId).int,
            person_str: sid("person", pm.studentId).str,
            work: null,
            work_str: null,
            lesson: null,
            lesson_str: null,
            date: null,
          },
        };
      }),
    }));
  }
}

/** JSON with platform ints (and bigints) written as bare number literals, as the platform does. */
export function toPlatformJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    // bigint values (test builders): the slower replacer path
    text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `\u0001${v}` : v));
  }
  return text.replace(/"\\u0001(-?\d+)"/g, "$1");
}
