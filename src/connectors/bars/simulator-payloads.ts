// A canonical Dataset in BARS's shapes, per pupil, exactly as the recorded answers and the working
// clients show them (bars-netschool.md §A3, real-shapes.md §3.1): marks and averages as strings,
// `person_id` numbers, dates `YYYY-MM-DD`, some text wrapped in `<span>` and U+200B as real servers send.
import { DateTime } from "luxon";
import type { Dataset } from "../../dataset/types.ts";
import type { Lesson, Mark, Period, Work, WorkKind } from "../../model/records.ts";

/** Work kind → the work type title BARS shows as a mark's `description`. */
export const WORK_TYPE_TITLES: Record<WorkKind, string> = {
  oral: "Устный ответ",
  written: "Письменная работа",
  test: "Тест",
  control: "Контрольная работа",
  lab: "Лабораторная работа",
  practical: "Практическая работа",
  regional: "Региональная контрольная работа",
  federal: "ВПР",
  intermediate: "Промежуточная аттестация",
  final: "Итоговая работа",
};
/** A mark for the lesson itself (no separate work). */
export const LESSON_WORK_TITLE = "Работа на уроке";

export const ATTENDANCE_CODES = { absent: "Н", ill: "Б", late: "ОП", excused: "УП", present: "П" } as const;

/** BARS subperiod code and name of a period. */
export function subperiodOf(p: Period): { code: string; name: string } {
  switch (p.kind) {
    case "quarter":
      return { code: `Четверть_${p.number}`, name: `${p.number} Четверть` };
    case "semester":
      return { code: `Полугодие_${p.number}`, name: `${p.number} Полугодие` };
    case "trimester":
      return { code: `Триместр_${p.number}`, name: `${p.number} Триместр` };
    default:
      return { code: "Год", name: "Год" };
  }
}

const schoolYearOf = (date: string) => {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? y : y - 1;
};

/** Platform ids the simulator gives the dataset's pupils and lessons (tests map expectations with them). */
export interface BarsSimIds {
  pupils: Map<string, string>;
  lessons: Map<string, string>;
}

export function barsSimIds(ds: Dataset): BarsSimIds {
  const pupils = new Map<string, string>();
  ds.streams.persons
    .filter((p) => p.role === "student" && p.classId)
    .forEach((p, i) => {
      pupils.set(p.id, String(1_000_001 + i));
    });
  const lessons = new Map<string, string>();
  ds.streams.lessons.forEach((l, i) => {
    lessons.set(l.id, String(70_000_001 + i));
  });
  return { pupils, lessons };
}

/** Text as a real server may send it: some wrapped in markup or carrying a zero-width space. */
export function dirty(text: string, salt: number): string {
  if (salt % 7 === 0) return `<span style="color:#000">${text}</span>`;
  if (salt % 11 === 0) return `${text}\u200B`;
  return text;
}

export class BarsIndex {
  readonly ids: BarsSimIds;
  private readonly pupilByPlatform = new Map<string, { id: string; name: string; classId: string }>();
  private readonly lessonsByClassDay = new Map<string, Lesson[]>();
  private readonly marksByPupil = new Map<string, Mark[]>();
  private readonly attendance = new Map<string, string>();
  private readonly works = new Map<string, Work>();
  private readonly lessons = new Map<string, Lesson>();
  private readonly controlLessons = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly subjects = new Map<string, string>();
  private readonly classes = new Map<string, string>();
  private readonly calendar = new Map<string, string>();
  readonly currentYear: number;

  constructor(
    private readonly ds: Dataset,
    today: string,
  ) {
    this.ids = barsSimIds(ds);
    const s = ds.streams;
    this.currentYear = schoolYearOf(today);
    for (const p of s.persons) this.names.set(p.id, p.name);
    for (const x of s.subjects) this.subjects.set(x.id, x.name);
    for (const c of s.classes) this.classes.set(c.id, `${c.grade}${c.letter}`);
    for (const c of s.calendar) this.calendar.set(c.date, c.kind);
    for (const p of s.persons)
      if (p.role === "student" && p.classId)
        this.pupilByPlatform.set(this.ids.pupils.get(p.id)!, { id: p.id, name: p.name, classId: p.classId });
    for (const l of s.lessons) {
      this.lessons.set(l.id, l);
      const k = `${l.classId}|${l.date}`;
      const list = this.lessonsByClassDay.get(k) ?? [];
      list.push(l);
      this.lessonsByClassDay.set(k, list);
    }
    for (const list of this.lessonsByClassDay.values()) list.sort((a, b) => a.number - b.number);
    for (const w of s.works) {
      this.works.set(w.id, w);
      if (w.kind === "control" && w.lessonId) this.controlLessons.add(w.lessonId);
    }
    for (const m of s.marks) {
      const list = this.marksByPupil.get(m.studentId) ?? [];
      list.push(m);
      this.marksByPupil.set(m.studentId, list);
    }
    for (const a of s.attendance)
      this.attendance.set(`${a.studentId}|${a.lessonId}`, ATTENDANCE_CODES[a.status]);
  }

  pupil(platformId: string) {
    return this.pupilByPlatform.get(platformId);
  }

  personData(selected: string | undefined) {
    const school = this.ds.manifest.school.name;
    const sel = selected ? this.pupil(selected) : undefined;
    return {
      auth_user_profile_id: 900001,
      user_fullname: "Служебная учётная запись reglament",
      user_desc: "Родитель",
      user_email: "",
      phone: "",
      selected_pupil_id: sel ? Number(selected) : null,
      selected_pupil_name: sel?.name ?? "",
      selected_pupil_school: school,
      selected_pupil_classyear: sel ? this.classes.get(sel.classId) : "",
      children_persons: [...this.pupilByPlatform.entries()].map(([pid, p]) => ({
        person_id: Number(pid),
        fullname: p.name,
        school,
        classyear: this.classes.get(p.classId),
      })),
      indicators: [{ name: "Средний балл", value: "4.1", css: "good" }],
    };
  }

  private markDate(m: Mark): string | undefined {
    if (m.lessonId) return this.lessons.get(m.lessonId)?.date;
    if (m.workId) return this.works.get(m.workId)?.date;
    return m.lessonDate;
  }

  /** Monday..Sunday of the week holding `date`. */
  private week(date: string): string[] {
    const monday = DateTime.fromISO(date, { zone: "utc" }).startOf("week");
    return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate()!);
  }

  diary(pupilPlatformId: string, date: string) {
    const p = this.pupil(pupilPlatformId)!;
    const workweek = this.ds.manifest.school.workweek;
    const marks = this.marksByPupil.get(p.id) ?? [];
    return {
      days: this.week(date).map((d, i) => {
        const kind = this.calendar.get(d);
        return {
          date: d,
          is_weekend: i >= workweek,
          is_vacation: kind === "vacation",
          is_holiday: kind === "holiday",
          lessons: (this.lessonsByClassDay.get(`${p.classId}|${d}`) ?? []).map((l) => {
            const lid = Number(this.ids.lessons.get(l.id));
            const mark = marks.find((m) => m.lessonId === l.id);
            return {
              id: lid,
              index: l.number,
              date: d,
              time_begin: l.start,
              time_end: l.end,
              discipline: this.subjects.get(l.subjectId),
              teacher: this.names.get(l.teacherId),
              office: `каб. ${100 + (lid % 40)}`,
              theme: l.topic ? dirty(l.topic, lid) : "",
              homework: l.homework ? dirty(l.homework, lid + 3) : "",
              homework_time_to_complete: null,
              ind_homework_exists: false,
              materials: [],
              mark: mark ? String(mark.value) : "",
              mark_type: mark
                ? mark.workId
                  ? WORK_TYPE_TITLES[this.works.get(mark.workId)!.kind]
                  : LESSON_WORK_TITLE
                : "",
              attendance: this.attendance.get(`${p.id}|${l.id}`) ?? "",
              comment: "",
              remarks: "",
              is_control_work: this.controlLessons.has(l.id),
              schedulelessontype: "Урок",
              study_time_name: `${l.number} урок`,
              study_time_shift: 1,
            };
          }),
        };
      }),
    };
  }

  homework(pupilPlatformId: string, date: string) {
    const p = this.pupil(pupilPlatformId)!;
    return this.week(date).map((d) => ({
      date: d,
      name: DateTime.fromISO(d).setLocale("ru").toFormat("cccc"),
      homeworks: (this.lessonsByClassDay.get(`${p.classId}|${d}`) ?? [])
        .filter((l) => l.homework)
        .map((l) => ({
          discipline: this.subjects.get(l.subjectId),
          teacher: this.names.get(l.teacherId),
          theme: l.topic ?? "",
          homework: `<p>${l.homework}</p>`,
          materials: [],
          nextHomework: null,
          nextMaterials: [],
          individualHomeworks: [],
          homework_time_to_complete: null,
        })),
    }));
  }

  /** Quarters or semesters of the current school year, in order. */
  private subperiods(): Period[] {
    return this.ds.streams.periods
      .filter((p) => p.kind !== "year" && schoolYearOf(p.start) === this.currentYear)
      .sort((a, b) => a.start.localeCompare(b.start));
  }

  private schoolDays(p: Period): string[] {
    const out: string[] = [];
    const workweek = this.ds.manifest.school.workweek;
    for (
      let d = DateTime.fromISO(p.start, { zone: "utc" });
      d.toISODate()! <= p.end;
      d = d.plus({ days: 1 })
    ) {
      const date = d.toISODate()!;
      const kind = this.calendar.get(date);
      if (kind === "workday" || (d.weekday <= workweek && kind !== "holiday" && kind !== "vacation"))
        out.push(date);
    }
    return out;
  }

  /** The subperiod holding `date`, else the next one, else the last (as the «Сводная» tab picks it). */
  summaryMarks(pupilPlatformId: string, date: string) {
    const p = this.pupil(pupilPlatformId)!;
    const list = this.subperiods();
    const sp =
      list.find((x) => x.start <= date && date <= x.end) ??
      list.find((x) => x.start > date) ??
      list[list.length - 1];
    if (!sp) return { subperiod: { code: "", name: "" }, dates: [], discipline_marks: [] };
    const bySubject = new Map<string, { date: string; mark: Mark }[]>();
    for (const m of this.marksByPupil.get(p.id) ?? []) {
      const d = this.markDate(m);
      if (!d || d < sp.start || d > sp.end) continue;
      const list2 = bySubject.get(m.subjectId) ?? [];
      list2.push({ date: d, mark: m });
      bySubject.set(m.subjectId, list2);
    }
    return {
      subperiod: subperiodOf(sp),
      dates: this.schoolDays(sp),
      discipline_marks: [...bySubject.entries()].map(([subjectId, marks]) => {
        // A day's cell lists its marks in the dataset's order, taken as the order they were entered (a
        // journal appends a new mark to its cell; the recorded answers show no other order).
        marks.sort((a, b) => a.date.localeCompare(b.date));
        const nums = marks.map((x) => x.mark.value).filter((v): v is number => typeof v === "number");
        return {
          discipline: this.subjects.get(subjectId),
          marks: marks.map((x) => ({
            date: x.date,
            description: x.mark.workId
              ? WORK_TYPE_TITLES[this.works.get(x.mark.workId)!.kind]
              : LESSON_WORK_TITLE,
            mark: String(x.mark.value),
          })),
          average_mark: nums.length ? (nums.reduce((a, b) => a + b, 0) / nums.length).toFixed(2) : "",
        };
      }),
    };
  }

  totalMarks(pupilPlatformId: string) {
    const p = this.pupil(pupilPlatformId)!;
    const periods = this.ds.streams.periods.filter((x) => schoolYearOf(x.start) === this.currentYear);
    const code = new Map(periods.map((x) => [x.id, subperiodOf(x).code]));
    const bySubject = new Map<string, { subperiod_code: string; mark: string }[]>();
    for (const pm of this.ds.streams.periodMarks) {
      if (pm.studentId !== p.id || !code.has(pm.periodId)) continue;
      const list = bySubject.get(pm.subjectId) ?? [];
      list.push({ subperiod_code: code.get(pm.periodId)!, mark: String(pm.value) });
      bySubject.set(pm.subjectId, list);
    }
    return {
      subperiods: periods.sort((a, b) => a.start.localeCompare(b.start)).map(subperiodOf),
      discipline_marks: [...bySubject.entries()].map(([subjectId, period_marks]) => ({
        discipline: this.subjects.get(subjectId),
        period_marks,
      })),
    };
  }
}
