// The people of the demo school and its weekly timetable: classes with letters, teachers by
// speciality with realistic loads, families (students with parents, some siblings), staff.
import type { Person } from "../model/records.ts";
import { PRIMARY_SUBJECTS, type Speciality, SUBJECTS, WEEKLY_HOURS } from "./curriculum.ts";
import { adultName, childName, type FamilyName, fatherName, motherName, randomFamilyName } from "./names.ts";
import { deriveSeed, Rng } from "./random.ts";
import { LETTERS, LETTERS_LATIN, type SizeProfile } from "./school-year.ts";

export interface StudentInfo {
  id: string;
  /** Mean mark the student tends to (2.7–4.9). */
  ability: number;
  /** Chance per school day of falling ill. */
  illness: number;
}

export interface Slot {
  subjectId: string;
  teacherId: string;
}

export interface ClassInfo {
  index: number;
  id: string;
  grade: number;
  letter: string;
  classTeacherId: string;
  students: StudentInfo[];
  hours: Record<string, number>;
  teacherOf: Record<string, string>;
  /** timetable[weekday 1..6][lesson number 1..7] */
  timetable: (Slot | null)[][];
}

export interface TeacherInfo {
  id: string;
  speciality: Speciality;
  load: number;
}

export interface ParentInfo {
  id: string;
  childIds: string[];
}

export interface Roster {
  classes: ClassInfo[];
  teachers: TeacherInfo[];
  parents: ParentInfo[];
  persons: Person[];
  directorId: string;
  deputyId: string;
  coordinatorId: string;
  adminId: string;
}

const MAX_LOAD = 27;
const SUBJECT_SPECIALITY = new Map(SUBJECTS.map((s) => [s.id, s.speciality]));

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function buildRoster(seed: number, size: SizeProfile, workweek: 5 | 6): Roster {
  const rng = new Rng(deriveSeed(seed, "roster"));
  const persons: Person[] = [];
  const teachers: TeacherInfo[] = [];
  const teacherPersons: Person[] = [];

  const newTeacher = (speciality: Speciality): TeacherInfo => {
    const t: TeacherInfo = { id: `t${pad(teachers.length + 1, 3)}`, speciality, load: 0 };
    teachers.push(t);
    const gender =
      speciality === "pe" || speciality === "obzr"
        ? rng.pick(["m", "m", "f"] as const)
        : rng.chance(0.85)
          ? "f"
          : "m";
    teacherPersons.push({ id: t.id, role: "teacher", name: adultName(rng, gender) });
    return t;
  };

  const teacherFor = (speciality: Speciality, hours: number): TeacherInfo => {
    let best: TeacherInfo | undefined;
    for (const t of teachers) {
      if (t.speciality !== speciality || t.load + hours > MAX_LOAD) continue;
      if (!best || t.load < best.load) best = t;
    }
    const chosen = best ?? newTeacher(speciality);
    chosen.load += hours;
    return chosen;
  };

  // Classes and their teachers.
  const classes: ClassInfo[] = [];
  for (let grade = 1; grade <= 11; grade++) {
    for (let p = 0; p < size.parallels[grade - 1]; p++) {
      const hours = WEEKLY_HOURS[grade];
      const teacherOf: Record<string, string> = {};
      const primary = grade <= 4 ? newTeacher("primary") : undefined;
      // Group the class's subjects by speciality so one teacher takes e.g. Russian and literature.
      const bySpeciality = new Map<Speciality, string[]>();
      for (const subjectId of Object.keys(hours)) {
        if (primary && PRIMARY_SUBJECTS.has(subjectId)) {
          teacherOf[subjectId] = primary.id;
          primary.load += hours[subjectId];
          continue;
        }
        const spec = SUBJECT_SPECIALITY.get(subjectId)!;
        const list = bySpeciality.get(spec) ?? [];
        list.push(subjectId);
        bySpeciality.set(spec, list);
      }
      for (const [spec, subjectIds] of bySpeciality) {
        const total = subjectIds.reduce((s, id) => s + hours[id], 0);
        const t = teacherFor(spec, total);
        for (const id of subjectIds) teacherOf[id] = t.id;
      }
      classes.push({
        index: classes.length,
        id: `c${pad(grade, 2)}${LETTERS_LATIN[p]}`,
        grade,
        letter: LETTERS[p],
        classTeacherId: primary?.id ?? "",
        students: [],
        hours,
        teacherOf,
        timetable: [],
      });
    }
  }

  // Class teachers of grades 5–11: subject teachers of the class who lead no class yet.
  const leading = new Set(classes.map((c) => c.classTeacherId).filter((id) => id !== ""));
  for (const c of classes) {
    if (c.classTeacherId !== "") continue;
    const candidates = [...new Set(Object.values(c.teacherOf))].filter((id) => !leading.has(id));
    const chosen = candidates.length > 0 ? rng.pick(candidates) : newTeacher("philology").id;
    c.classTeacherId = chosen;
    leading.add(chosen);
  }

  buildTimetables(rng, classes, workweek);

  // Families: students of each class, some with a sibling in another class.
  interface Family {
    name: FamilyName;
    childIds: string[];
    classIds: Set<string>;
  }
  const families: Family[] = [];
  const studentPersons: Person[] = [];
  let studentNo = 0;
  for (const c of classes) {
    const n = rng.int(size.classSize[0], size.classSize[1]);
    for (let i = 0; i < n; i++) {
      let family: Family | undefined;
      if (families.length > 10 && rng.chance(0.08)) {
        const candidate = families[rng.int(0, families.length - 1)];
        if (candidate.childIds.length < 3 && !candidate.classIds.has(c.id)) family = candidate;
      }
      if (!family) {
        family = { name: randomFamilyName(rng), childIds: [], classIds: new Set() };
        families.push(family);
      }
      const id = `s${pad(++studentNo, 4)}`;
      family.childIds.push(id);
      family.classIds.add(c.id);
      const gender = rng.chance(0.5) ? "m" : "f";
      studentPersons.push({ id, role: "student", name: childName(rng, family.name, gender), classId: c.id });
      const ability = Math.min(4.9, Math.max(2.7, rng.normal(3.85, 0.55)));
      c.students.push({ id, ability, illness: 0.008 + rng.next() * 0.05 });
    }
  }

  const parents: ParentInfo[] = [];
  const parentPersons: Person[] = [];
  for (const f of families) {
    const hasMother = rng.chance(0.95);
    const hasFather = !hasMother || rng.chance(0.6);
    if (hasMother) {
      const id = `p${pad(parents.length + 1, 4)}`;
      parents.push({ id, childIds: f.childIds });
      parentPersons.push({ id, role: "parent", name: motherName(rng, f.name), childIds: f.childIds });
    }
    if (hasFather) {
      const id = `p${pad(parents.length + 1, 4)}`;
      parents.push({ id, childIds: f.childIds });
      parentPersons.push({ id, role: "parent", name: fatherName(rng, f.name), childIds: f.childIds });
    }
  }

  const staff = (id: string, role: Person["role"]): Person => ({
    id,
    role,
    name: adultName(rng, rng.chance(0.75) ? "f" : "m"),
  });
  persons.push(
    staff("dir1", "director"),
    staff("dep1", "deputy"),
    staff("coord1", "coordinator"),
    staff("adm1", "admin"),
  );
  persons.push(...teacherPersons, ...studentPersons, ...parentPersons);

  return {
    classes,
    teachers,
    parents,
    persons,
    directorId: "dir1",
    deputyId: "dep1",
    coordinatorId: "coord1",
    adminId: "adm1",
  };
}

/** A weekly grid per class, spreading each subject over the week and avoiding teacher clashes. */
function buildTimetables(rng: Rng, classes: ClassInfo[], workweek: 5 | 6): void {
  const busy = new Set<string>(); // `${teacherId}|${weekday}|${number}`
  for (const c of classes) {
    // First-graders study five days a week even in six-day schools (СанПиН).
    const days = c.grade === 1 ? 5 : workweek;
    const totalHours = Object.values(c.hours).reduce((a, b) => a + b, 0);
    const maxPerDay = Math.min(7, Math.ceil(totalHours / days) + 1);
    const perDay: string[][] = Array.from({ length: days }, () => []);
    const subjects = Object.keys(c.hours).sort((a, b) => c.hours[b] - c.hours[a] || (a < b ? -1 : 1));
    for (const subjectId of subjects) {
      const h = c.hours[subjectId];
      const perDayCap = h > days ? 2 : 1;
      for (let k = 0; k < h; k++) {
        let bestDay = -1;
        for (let d = 0; d < days; d++) {
          const lessons = perDay[d];
          if (lessons.length >= maxPerDay) continue;
          if (lessons.filter((s) => s === subjectId).length >= perDayCap) continue;
          if (bestDay < 0 || lessons.length < perDay[bestDay].length) bestDay = d;
          else if (lessons.length === perDay[bestDay].length && rng.chance(0.5)) bestDay = d;
        }
        if (bestDay < 0) bestDay = perDay.reduce((bi, l, i) => (l.length < perDay[bi].length ? i : bi), 0);
        perDay[bestDay].push(subjectId);
      }
    }
    c.timetable = Array.from({ length: 7 }, () => Array<Slot | null>(8).fill(null));
    for (let d = 0; d < days; d++) {
      const weekday = d + 1;
      let best: string[] = perDay[d];
      let bestClashes = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 40 && bestClashes > 0; attempt++) {
        const order = rng.shuffle(perDay[d].slice());
        let clashes = 0;
        order.forEach((s, i) => {
          if (busy.has(`${c.teacherOf[s]}|${weekday}|${i + 1}`)) clashes++;
        });
        if (clashes < bestClashes) {
          best = order;
          bestClashes = clashes;
        }
      }
      best.forEach((subjectId, i) => {
        const teacherId = c.teacherOf[subjectId];
        busy.add(`${teacherId}|${weekday}|${i + 1}`);
        c.timetable[weekday][i + 1] = { subjectId, teacherId };
      });
    }
  }
}
