// A canonical Dataset laid out as a Moodle 4.5 site would hold it, in Moodle's WS shapes:
// integer ids (deterministic, in dataset order), canonical ids kept in idnumber fields where
// Moodle has them (users, courses, groups, grade items), unix seconds for times. Used by the
// simulator; what Moodle cannot hold (mapping.ts) is simply not laid out.
import { DateTime } from "luxon";
import type { Dataset } from "../../dataset/types.ts";
import type { Lesson, Mark, Person, SchoolClass, Subject, WorkKind } from "../../model/records.ts";
import type { CourseMapping } from "./config.ts";

export const ATTENDANCE_FUNCTIONS = [
  "mod_attendance_get_sessions",
  "mod_attendance_get_session",
  "mod_attendance_get_courses_with_today_sessions",
];
export const CORE_FUNCTIONS = [
  "core_webservice_get_site_info",
  "core_course_get_courses",
  "core_enrol_get_enrolled_users",
  "core_group_get_course_groups",
  "core_course_get_contents",
  "mod_assign_get_assignments",
  "mod_assign_get_grades",
  "gradereport_user_get_grade_items",
];

/** Work names the default `workKinds` of config.ts read back to the same kind. */
export const WORK_KIND_LABELS: Record<WorkKind, string> = {
  oral: "Устный ответ",
  written: "Письменная работа",
  test: "Тест",
  control: "Контрольная работа",
  lab: "Лабораторная работа",
  practical: "Практическая работа",
  regional: "Региональная контрольная работа",
  federal: "ВПР",
  intermediate: "Промежуточная аттестация",
  final: "Итоговая контрольная работа",
};

/** The school's grade scale (scale id 1): codes and marks as Moodle scale items. */
export const SCHOOL_SCALE = ["нз", "зч", "осв", "н/а", "1", "2", "3", "4", "5"];
export const SCHOOL_SCALE_ID = 1;
/** What Moodle 4.3 puts before a grade shown for an item whose grademin differs from its gradepass. */
export const PASS_ICON =
  '<i class="icon fa fa-check text-success fa-fw inline"  title="Pass" role="img" aria-label="Pass"></i>';

/** Attendance statuses of the simulated site (the usual Russian set). */
export const SIM_STATUSES = [
  { id: 1, acronym: "П", description: "Присутствовал", grade: 2, status: "present" },
  { id: 2, acronym: "Н", description: "Отсутствовал", grade: 0, status: "absent" },
  { id: 3, acronym: "О", description: "Опоздал", grade: 1, status: "late" },
  { id: 4, acronym: "У", description: "Уважительная причина", grade: 1, status: "excused" },
  { id: 5, acronym: "Б", description: "Болел", grade: 1, status: "ill" },
] as const;

const ROLES = {
  student: { roleid: 5, name: "", shortname: "student", sortorder: 0 },
  editingteacher: { roleid: 3, name: "", shortname: "editingteacher", sortorder: 0 },
  teacher: { roleid: 4, name: "", shortname: "teacher", sortorder: 0 },
};

export type Row = Record<string, unknown>;

export interface SimCourse {
  id: number;
  key: string;
  classIds: string[];
  subject: Subject;
  row: Row;
}

export interface GradebookItem {
  row: Row;
  /** userId → cell fields */
  cells: Map<number, { graderaw: number; gradedategraded: number; gradeformatted: string }>;
}

export type MarkLocation =
  | { kind: "assign"; assignmentId: number; userId: number }
  | { kind: "item"; itemId: number; userId: number };

export interface MoodleSite {
  info: Row;
  functions: string[];
  courses: SimCourse[];
  enrolled: Map<number, Row[]>;
  groups: Map<number, Row[]>;
  contents: Map<number, Row[]>;
  assignments: Row[];
  assignGrades: Map<number, Row[]>;
  gradebook: Map<number, GradebookItem[]>;
  /** attendance instance id → sessions */
  sessions: Map<number, Row[]>;
  ids: {
    persons: Map<string, number>;
    courses: Map<string, number>;
    groups: Map<string, number>;
    lessons: Map<string, number>;
    works: Map<string, number>;
    marks: Map<string, MarkLocation>;
  };
}

export interface MoodleSiteOptions {
  courseMapping?: CourseMapping;
  attendancePlugin?: boolean;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function buildMoodleSite(dataset: Dataset, options: MoodleSiteOptions = {}): MoodleSite {
  const mode = options.courseMapping ?? "course-per-class-subject";
  const plugin = options.attendancePlugin ?? true;
  const tz = dataset.manifest.school.timezone;
  const observed = Math.floor(Date.parse(dataset.manifest.observedAt) / 1000);
  const s = dataset.streams;
  const unixAt = (date: string, clock: string) =>
    DateTime.fromISO(`${date}T${clock}`, { zone: tz }).toSeconds();
  const unixOf = (iso: string | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : observed);

  const persons = new Map<string, Person>(s.persons.map((p) => [p.id, p]));
  const classes = new Map<string, SchoolClass>(s.classes.map((c) => [c.id, c]));
  const subjects = new Map<string, Subject>(s.subjects.map((x) => [x.id, x]));
  const lessons = new Map<string, Lesson>(s.lessons.map((l) => [l.id, l]));
  const classLabel = (id: string) => {
    const c = classes.get(id);
    return c ? `${c.grade}${c.letter}` : id;
  };
  const classOfStudent = (id: string) => persons.get(id)?.classId;

  // Courses from every class×subject the journal uses.
  const pairs: [string, string][] = [];
  const addPair = (classId: string | undefined, subjectId: string) => {
    if (!classId || !classes.has(classId) || !subjects.has(subjectId)) return;
    if (!pairs.some(([c, x]) => c === classId && x === subjectId)) pairs.push([classId, subjectId]);
  };
  for (const l of s.lessons) addPair(l.classId, l.subjectId);
  for (const w of s.works) addPair(w.classId, w.subjectId);
  for (const m of s.marks) addPair(classOfStudent(m.studentId), m.subjectId);
  for (const pm of s.periodMarks) addPair(classOfStudent(pm.studentId), pm.subjectId);

  let nextCourse = 2;
  const courses: SimCourse[] = [];
  const courseByKey = new Map<string, SimCourse>();
  const courseKey = (classId: string, subjectId: string) =>
    mode === "groups-as-classes" ? subjectId : `${classId}/${subjectId}`;
  for (const [classId, subjectId] of pairs) {
    const key = courseKey(classId, subjectId);
    const existing = courseByKey.get(key);
    if (existing) {
      if (!existing.classIds.includes(classId)) existing.classIds.push(classId);
      continue;
    }
    const subject = subjects.get(subjectId)!;
    const id = nextCourse++;
    const perClass = mode === "course-per-class-subject";
    const row: Row = {
      id,
      shortname: perClass ? `${classLabel(classId)}-${subjectId}` : subjectId,
      categoryid: 1,
      categorysortorder: 10000 + id,
      fullname: perClass ? `${subject.name} ${classLabel(classId)}` : subject.name,
      displayname: perClass ? `${subject.name} ${classLabel(classId)}` : subject.name,
      idnumber: key,
      summary: "",
      summaryformat: 1,
      format: "topics",
      showgrades: 1,
      newsitems: 0,
      startdate: 0,
      enddate: 0,
      numsections: 2,
      maxbytes: 0,
      showreports: 0,
      visible: 1,
      groupmode: perClass ? 0 : 1,
      groupmodeforce: 0,
      defaultgroupingid: 0,
      timecreated: observed - 86400 * 90,
      timemodified: observed - 86400 * 90,
      enablecompletion: 0,
      completionnotify: 0,
      lang: "",
      forcetheme: "",
      courseformatoptions: [],
      showactivitydates: true,
      showcompletionconditions: null,
    };
    const course: SimCourse = { id, key, classIds: [classId], subject, row };
    courses.push(course);
    courseByKey.set(key, course);
  }
  const courseOf = (classId: string | undefined, subjectId: string) =>
    classId ? courseByKey.get(courseKey(classId, subjectId)) : undefined;

  // Users, deterministic ids in dataset order.
  const userIds = new Map<string, number>();
  s.persons.forEach((p, i) => {
    userIds.set(p.id, 101 + i);
  });

  // Class groups (groups-as-classes).
  let nextGroup = 201;
  const groupIds = new Map<string, number>();
  const groups = new Map<number, Row[]>();
  for (const c of courses) {
    const rows: Row[] = [];
    if (mode === "groups-as-classes") {
      for (const classId of c.classIds) {
        const gid = nextGroup++;
        groupIds.set(`${c.id}|${classId}`, gid);
        rows.push({
          id: gid,
          courseid: c.id,
          name: classLabel(classId),
          description: "",
          descriptionformat: 1,
          enrolmentkey: null,
          idnumber: classId,
          visibility: 0,
          participation: true,
        });
      }
    }
    groups.set(c.id, rows);
  }
  const groupOf = (course: SimCourse, classId: string) => groupIds.get(`${course.id}|${classId}`);

  // Enrolments: pupils of the course's classes, lead teachers of its lessons, other staff who graded or substituted.
  const enrolled = new Map<number, Row[]>();
  const membership = new Map<number, Map<string, { role: keyof typeof ROLES; classIds: Set<string> }>>();
  const enrol = (course: SimCourse, personId: string, role: keyof typeof ROLES, classId?: string) => {
    if (!persons.has(personId)) return;
    const m = membership.get(course.id) ?? new Map();
    membership.set(course.id, m);
    const cur = m.get(personId) ?? { role, classIds: new Set<string>() };
    if (cur.role === "teacher" && role === "editingteacher") cur.role = role;
    if (classId) cur.classIds.add(classId);
    m.set(personId, cur);
  };
  for (const c of courses) {
    for (const p of s.persons) {
      if (p.role === "student" && p.classId && c.classIds.includes(p.classId))
        enrol(c, p.id, "student", p.classId);
    }
  }
  for (const l of s.lessons) {
    const c = courseOf(l.classId, l.subjectId);
    if (!c) continue;
    enrol(c, l.teacherId, "editingteacher", l.classId);
  }
  for (const l of s.lessons) {
    const c = courseOf(l.classId, l.subjectId);
    if (c && l.substituteTeacherId) enrol(c, l.substituteTeacherId, "teacher", l.classId);
  }
  for (const m of s.marks) {
    const classId = classOfStudent(m.studentId);
    const c = courseOf(classId, m.subjectId);
    if (c && m.authorId) enrol(c, m.authorId, "teacher", classId);
  }
  for (const c of courses) {
    const rows: Row[] = [];
    for (const [personId, m] of membership.get(c.id) ?? []) {
      const p = persons.get(personId)!;
      const uid = userIds.get(personId)!;
      const [firstname, ...rest] = p.name.split(" ");
      const userGroups = [...m.classIds].flatMap((classId) => {
        const gid = groupOf(c, classId);
        return gid ? [{ id: gid, name: classLabel(classId), description: "", descriptionformat: 1 }] : [];
      });
      rows.push({
        id: uid,
        username: `u${uid}`,
        firstname,
        lastname: rest.join(" ") || firstname,
        fullname: p.name,
        email: `u${uid}@example.invalid`,
        department: "",
        idnumber: p.id,
        firstaccess: observed - 86400 * 60,
        lastaccess: observed - 3600,
        lastcourseaccess: observed - 7200,
        description: "",
        descriptionformat: 1,
        profileimageurlsmall: "",
        profileimageurl: "",
        groups: userGroups,
        roles: [ROLES[m.role]],
        enrolledcourses: [{ id: c.id, fullname: c.row.fullname, shortname: c.row.shortname }],
      });
    }
    rows.sort((a, b) => (a.id as number) - (b.id as number));
    enrolled.set(c.id, rows);
  }
  const students = (c: SimCourse, classId?: string) =>
    (enrolled.get(c.id) ?? []).filter(
      (u) =>
        (u.roles as Row[])[0].shortname === "student" &&
        (classId === undefined || persons.get(u.idnumber as string)?.classId === classId),
    );

  // Activities: one attendance instance per course (with the plugin), assignments per work; a work
  // with a code (н/а) among its marks is graded on the school scale, as a school would set it.
  const scaleWorks = new Set(
    s.marks.flatMap((m) => (m.workId && typeof m.value !== "number" ? [m.workId] : [])),
  );
  let nextCm = 1001;
  let nextAssign = 401;
  let nextAttendance = 301;
  const contents = new Map<number, Row[]>();
  const attendanceOf = new Map<number, number>();
  const assignments: Row[] = [];
  const workIds = new Map<string, number>();
  for (const c of courses) {
    const general: Row[] = [];
    const works: Row[] = [];
    if (plugin) {
      const instance = nextAttendance++;
      attendanceOf.set(c.id, instance);
      general.push(moduleRow(nextCm++, "Посещаемость", instance, "attendance", null));
    }
    for (const w of s.works) {
      if (courseOf(w.classId, w.subjectId) !== c) continue;
      const id = nextAssign++;
      const cmid = nextCm++;
      workIds.set(w.id, id);
      const name = `${WORK_KIND_LABELS[w.kind]} ${w.date}`;
      const gid = groupOf(c, w.classId);
      const availability = gid
        ? JSON.stringify({ op: "&", c: [{ type: "group", id: gid }], showc: [true] })
        : null;
      works.push(moduleRow(cmid, name, id, "assign", availability));
      const due = unixAt(w.date, "23:59");
      assignments.push({
        id,
        cmid,
        course: c.id,
        name,
        nosubmissions: 0,
        submissiondrafts: 0,
        sendnotifications: 0,
        sendlatenotifications: 0,
        sendstudentnotifications: 1,
        duedate: due,
        allowsubmissionsfromdate: unixAt(w.date, "00:00"),
        grade: scaleWorks.has(w.id) ? -SCHOOL_SCALE_ID : 5,
        timemodified: due - 86400 * 3,
        completionsubmit: 0,
        cutoffdate: 0,
        gradingduedate: 0,
        teamsubmission: 0,
        requireallteammemberssubmit: 0,
        teamsubmissiongroupingid: 0,
        blindmarking: 0,
        hidegrader: 0,
        revealidentities: 0,
        attemptreopenmethod: "none",
        maxattempts: -1,
        markingworkflow: 0,
        markingallocation: 0,
        requiresubmissionstatement: 0,
        preventsubmissionnotingroup: 0,
        configs: [],
        intro: "",
        introformat: 1,
        introfiles: [],
        introattachments: [],
      });
    }
    contents.set(c.id, [
      sectionRow(nextCm * 10, "Общее", 0, general),
      sectionRow(nextCm * 10 + 1, "Работы", 1, works),
    ]);
  }

  // Sessions from lessons.
  let nextSession = 5001;
  let nextLog = 1;
  const sessions = new Map<number, Row[]>();
  const sessionIds = new Map<string, number>();
  const attendanceByLesson = new Map<string, Dataset["streams"]["attendance"]>();
  for (const a of s.attendance)
    attendanceByLesson.set(a.lessonId, [...(attendanceByLesson.get(a.lessonId) ?? []), a]);
  if (plugin) {
    for (const l of s.lessons) {
      const c = courseOf(l.classId, l.subjectId);
      if (!c) continue;
      const attendanceid = attendanceOf.get(c.id)!;
      const id = nextSession++;
      sessionIds.set(l.id, id);
      const sessdate = unixAt(l.date, l.start);
      const taken = l.attendanceRecordedAt ? unixOf(l.attendanceRecordedAt) : 0;
      const takenBy = taken ? (userIds.get(l.substituteTeacherId ?? l.teacherId) ?? 0) : 0;
      const log = (attendanceByLesson.get(l.id) ?? [])
        .filter((a) => userIds.has(a.studentId))
        .map((a) => ({
          studentid: userIds.get(a.studentId)!,
          statusid: String(SIM_STATUSES.find((x) => x.status === a.status)!.id),
          remarks: "",
          id: String(nextLog++),
        }));
      const row: Row = {
        id,
        attendanceid,
        groupid: groupOf(c, l.classId) ?? 0,
        sessdate,
        duration: unixAt(l.date, l.end) - sessdate,
        lasttaken: taken,
        lasttakenby: takenBy,
        timemodified: l.topicRecordedAt ? unixOf(l.topicRecordedAt) : sessdate - 86400 * 7,
        description: l.topic ? `<p>${escapeHtml(l.topic)}</p>` : "",
        descriptionformat: 1,
        studentscanmark: 0,
        absenteereport: 1,
        autoassignstatus: 0,
        preventsharedip: 0,
        preventsharediptime: 0,
        statusset: 0,
        includeqrcode: 0,
        courseid: c.id,
        statuses: SIM_STATUSES.map((x) => ({
          id: x.id,
          attendanceid,
          acronym: x.acronym,
          description: x.description,
          grade: x.grade,
          visible: 1,
          deleted: 0,
          setnumber: 0,
        })),
        attendance_log: log,
        users: students(c, l.classId).map((u) => ({
          id: u.id,
          firstname: u.firstname,
          lastname: u.lastname,
        })),
      };
      sessions.set(attendanceid, [...(sessions.get(attendanceid) ?? []), row]);
    }
  }

  // Grades: assignment grades, and gradebook items (assignment, lesson, single, period, total).
  // Moodle keeps one grade per pupil per item: a second mark of a pupil for one work or in one
  // lesson goes into a further manual item (`assign:<id>~<k>`, `lesson:<date>#<n>~<k>`, first free
  // k ≥ 2), as a teacher adds a column; so does a code (н/а) that an assignment's numeric grade cannot hold.
  let nextItem = 7001;
  let nextGrade = 9001;
  const assignGrades = new Map<number, Row[]>();
  const gradebook = new Map<number, GradebookItem[]>(courses.map((c) => [c.id, []]));
  const markIds = new Map<string, MarkLocation>();
  const assignItem = new Map<number, GradebookItem>();
  const assignName = new Map<number, string>();
  const scaleAssignments = new Set<number>();
  for (const a of assignments) {
    const onScale = (a.grade as number) < 0;
    if (onScale) scaleAssignments.add(a.id as number);
    const item = gradeItem(
      nextItem++,
      a.name as string,
      "mod",
      "assign",
      a.id as number,
      "",
      onScale ? "scale" : "points",
      a.cmid as number,
    );
    gradebook.get(a.course as number)!.push(item);
    assignItem.set(a.id as number, item);
    assignName.set(a.id as number, a.name as string);
  }
  const namedItems = new Map<string, GradebookItem>();
  const namedItem = (
    c: SimCourse,
    idnumber: string,
    name: string | null,
    type: string,
    grading: "scale" | "value" = "scale",
  ) => {
    const key = `${c.id}|${idnumber}`;
    let item = namedItems.get(key);
    if (!item) {
      item = gradeItem(nextItem++, name, type, null, null, idnumber, grading, null);
      namedItems.set(key, item);
      gradebook.get(c.id)!.push(item);
    }
    return item;
  };
  /** The first further column `<base>~<k><suffix>` (k ≥ 2) where the pupil has no grade yet. */
  const furtherItem = (
    c: SimCourse,
    base: string,
    suffix: string,
    name: string,
    uid: number,
    grading: "scale" | "value" = "scale",
  ) => {
    for (let k = 2; ; k += 1) {
      const item = namedItem(c, `${base}~${k}${suffix}`, `${name} (${k})`, "manual", grading);
      if (!item.cells.has(uid)) return item;
    }
  };
  const classSuffix = (classId: string) => (mode === "groups-as-classes" ? `@${classId}` : "");
  const workById = new Map(s.works.map((w) => [w.id, w]));
  // A lesson's columns are by value (1–5) unless a code is among its marks: then on the scale.
  const scaleLessons = new Set(
    s.marks.flatMap((m) => (m.lessonId && typeof m.value !== "number" ? [m.lessonId] : [])),
  );
  // As the user report shows them: a scale item's graderaw is the 1-based position in the scale and
  // its label is in gradeformatted; a value item with grademin ≠ gradepass carries a pass icon.
  const scaleCell = (value: Mark["value"], at: number) => {
    const idx = SCHOOL_SCALE.indexOf(String(value));
    return { graderaw: idx + 1, gradedategraded: at, gradeformatted: SCHOOL_SCALE[idx] };
  };
  const valueCell = (value: number, at: number, icon: boolean) => ({
    graderaw: value,
    gradedategraded: at,
    gradeformatted: `${icon ? PASS_ICON : ""}${value.toFixed(2)}`,
  });
  for (const m of s.marks) {
    const classId = classOfStudent(m.studentId);
    const c = courseOf(classId, m.subjectId);
    const uid = userIds.get(m.studentId);
    if (!c || uid === undefined) continue;
    const at = unixOf(m.recordedAt);
    const assignmentId = m.workId ? workIds.get(m.workId) : undefined;
    if (assignmentId !== undefined) {
      const own = assignItem.get(assignmentId)!;
      const onScale = scaleAssignments.has(assignmentId);
      if ((onScale || typeof m.value === "number") && !own.cells.has(uid)) {
        // On a scale, mod_assign_get_grades gives the position ("4.00000" = н/а), not the label.
        const grade = onScale ? SCHOOL_SCALE.indexOf(String(m.value)) + 1 : (m.value as number);
        const rows = assignGrades.get(assignmentId) ?? [];
        rows.push({
          id: nextGrade++,
          userid: uid,
          attemptnumber: 0,
          timecreated: at,
          timemodified: at,
          grader: m.authorId ? (userIds.get(m.authorId) ?? -1) : -1,
          grade: grade.toFixed(5),
        });
        assignGrades.set(assignmentId, rows);
        own.cells.set(uid, onScale ? scaleCell(m.value, at) : valueCell(grade, at, false));
        markIds.set(m.id, { kind: "assign", assignmentId, userId: uid });
        continue;
      }
      const suffix = classSuffix(workById.get(m.workId!)!.classId);
      const item = furtherItem(c, `assign:${assignmentId}`, suffix, assignName.get(assignmentId)!, uid);
      item.cells.set(uid, scaleCell(m.value, at));
      markIds.set(m.id, { kind: "item", itemId: item.row.id as number, userId: uid });
      continue;
    }
    const lesson = m.lessonId ? lessons.get(m.lessonId) : undefined;
    let item: GradebookItem;
    let grading: "scale" | "value";
    if (lesson) {
      // Named after its lesson with or without the Attendance plugin, as teachers name the column;
      // by value (1–5) unless a code is among the lesson's marks: then on the scale.
      const base = `lesson:${lesson.date}#${lesson.number}`;
      const suffix = classSuffix(lesson.classId);
      const name = `Урок ${lesson.date}`;
      grading = scaleLessons.has(lesson.id) ? "scale" : "value";
      item = namedItem(c, `${base}${suffix}`, name, "manual", grading);
      if (item.cells.has(uid)) item = furtherItem(c, base, suffix, name, uid, grading);
    } else {
      // A lone mark in its own column: by value unless it is a code.
      grading = typeof m.value === "number" ? "value" : "scale";
      item = gradeItem(nextItem++, "Оценка", "manual", null, null, "", grading, null);
      gradebook.get(c.id)!.push(item);
    }
    const value = m.value;
    item.cells.set(
      uid,
      grading === "value" && typeof value === "number" ? valueCell(value, at, true) : scaleCell(value, at),
    );
    markIds.set(m.id, { kind: "item", itemId: item.row.id as number, userId: uid });
  }
  for (const pm of s.periodMarks) {
    const c = courseOf(classOfStudent(pm.studentId), pm.subjectId);
    const uid = userIds.get(pm.studentId);
    if (!c || uid === undefined) continue;
    namedItem(c, `period:${pm.periodId}`, null, "category").cells.set(
      uid,
      scaleCell(pm.value, unixOf(pm.recordedAt)),
    );
  }
  for (const c of courses)
    gradebook.get(c.id)!.push(gradeItem(nextItem++, null, "course", null, null, null, "points", null));

  const functions = [...CORE_FUNCTIONS, ...(plugin ? ATTENDANCE_FUNCTIONS : [])];
  return {
    info: {
      sitename: dataset.manifest.school.name,
      username: "reglament",
      firstname: "reglament",
      lastname: "service",
      fullname: "reglament service",
      lang: "ru",
      userid: 2,
      siteurl: "",
      userpictureurl: "",
      functions: functions.map((name) => ({ name, version: "2024100700" })),
      downloadfiles: 0,
      uploadfiles: 0,
      release: "4.5.8 (Build: 20251208)",
      version: "2024100708",
      mobilecssurl: "",
      advancedfeatures: [{ name: "usecomments", value: 1 }],
      usercanmanageownfiles: false,
      userquota: 0,
      usermaxuploadfilesize: 0,
      userhomepage: 1,
      siteid: 1,
      sitecalendartype: "gregorian",
      usercalendartype: "gregorian",
      userissiteadmin: false,
      theme: "boost",
    },
    functions,
    courses,
    enrolled,
    groups,
    contents,
    assignments,
    assignGrades,
    gradebook,
    sessions,
    ids: {
      persons: userIds,
      courses: new Map(courses.map((c) => [c.key, c.id])),
      groups: groupIds,
      lessons: sessionIds,
      works: workIds,
      marks: markIds,
    },
  };
}

function moduleRow(
  id: number,
  name: string,
  instance: number,
  modname: string,
  availability: string | null,
): Row {
  return {
    id,
    url: "",
    name,
    instance,
    contextid: id + 100000,
    visible: 1,
    uservisible: true,
    visibleoncoursepage: 1,
    modicon: "",
    modname,
    modplural: modname,
    availability,
    indent: 0,
    onclick: "",
    afterlink: null,
    customdata: "",
    noviewlink: false,
    completion: 0,
    downloadcontent: 1,
    dates: [],
    groupmode: 0,
  };
}

function sectionRow(id: number, name: string, section: number, modules: Row[]): Row {
  return {
    id,
    name,
    visible: 1,
    summary: "",
    summaryformat: 1,
    section,
    hiddenbynumsections: 0,
    uservisible: true,
    modules,
  };
}

/**
 * A grade item as gradereport_user_get_grade_items shows it (Moodle 4.3): `scaleid` carries the
 * outcome id, so it is null on scale items too; manual and module items have itemnumber 0; the
 * course item's idnumber is null; ranges use `&ndash;`.
 */
function gradeItem(
  id: number,
  itemname: string | null,
  itemtype: string,
  itemmodule: string | null,
  iteminstance: number | null,
  idnumber: string | null,
  grading: "scale" | "value" | "points",
  cmid: number | null,
): GradebookItem {
  const scale = grading === "scale";
  const min = grading === "value" ? 1 : scale ? 1 : 0;
  return {
    row: {
      id,
      itemname,
      itemtype,
      itemmodule,
      iteminstance,
      itemnumber: itemtype === "mod" || itemtype === "manual" ? 0 : null,
      idnumber,
      categoryid: itemtype === "course" || itemtype === "category" ? null : 1,
      outcomeid: null,
      scaleid: null,
      locked: false,
      ...(cmid === null ? {} : { cmid }),
      weightraw: 0,
      weightformatted: "0.00 %",
      grademin: min,
      grademax: scale ? SCHOOL_SCALE.length : 5,
      rangeformatted: scale
        ? `${SCHOOL_SCALE[0]}&ndash;${SCHOOL_SCALE[SCHOOL_SCALE.length - 1]}`
        : `${min}&ndash;5`,
      feedback: "",
      feedbackformat: 0,
    },
    cells: new Map(),
  };
}
