// A small class whose metrics are computed by hand in the tests (see the comments in metrics.test.ts).
import type { Dataset } from "../../../src/dataset/types.ts";
import type { PeriodMark } from "../../../src/model/records.ts";
import { clone, tinySchool } from "../../support/dataset-builder.ts";

export function builderSchool(): Dataset {
  const ds = clone(tinySchool());
  const st = ds.streams;
  st.persons = [
    { id: "t1", role: "teacher", name: "Иванова Мария Петровна" },
    { id: "t2", role: "teacher", name: "Смирнов Олег Ильич" },
    { id: "d1", role: "deputy", name: "Орлова Нина Васильевна" },
    { id: "s1", role: "student", name: "Петров Пётр Сергеевич", classId: "5a" },
    { id: "s2", role: "student", name: "Сидорова Анна Олеговна", classId: "5a" },
    { id: "s3", role: "student", name: "Кузнецов Илья Андреевич", classId: "5a" },
    { id: "s4", role: "student", name: "Морозова Дарья Игоревна", classId: "5a" },
    { id: "s5", role: "student", name: "Волков Артём Денисович", classId: "5a" },
    { id: "s6", role: "student", name: "Лебедева Софья Романовна", classId: "5a" },
    { id: "s7", role: "student", name: "Новиков Максим Олегович", classId: "5a" },
    { id: "p1", role: "parent", name: "Петрова Ольга Ивановна", childIds: ["s1"] },
    { id: "p2", role: "parent", name: "Сидоров Олег Петрович", childIds: ["s2"] },
  ];
  st.lessons.push({
    id: "l3",
    classId: "5a",
    subjectId: "math",
    teacherId: "t1",
    date: "2025-10-08",
    number: 1,
    start: "08:30",
    end: "09:15",
  });
  st.marks = [
    { id: "m1", studentId: "s1", subjectId: "math", workId: "w1", lessonId: "l1", value: "5", weight: 2 },
    { id: "m2", studentId: "s2", subjectId: "math", lessonId: "l1", value: 4 },
    { id: "m3", studentId: "s1", subjectId: "math", lessonId: "l3", value: "4" },
    { id: "m4", studentId: "s1", subjectId: "math", lessonId: "l3", value: "3" },
  ];
  st.attendance = [
    { studentId: "s2", lessonId: "l2", status: "ill" },
    { studentId: "s3", lessonId: "l2", status: "absent" },
    { studentId: "s3", lessonId: "l3", status: "late" },
    { studentId: "s2", lessonId: "l3", status: "excused" },
  ];
  const pm = (studentId: string, subjectId: string, value: PeriodMark["value"]) => ({
    studentId,
    subjectId,
    periodId: "q1",
    value,
  });
  st.periodMarks = [
    pm("s1", "math", "5"),
    pm("s2", "math", "4"),
    pm("s3", "math", "3"),
    pm("s4", "math", "2"),
    pm("s5", "math", "н/а"),
    pm("s6", "math", "осв"),
    pm("s1", "rus", "5"),
    pm("s2", "rus", "5"),
    pm("s3", "rus", "4"),
    pm("s4", "rus", "4"),
    pm("s5", "rus", "3"),
    pm("s6", "rus", "5"),
    pm("s7", "rus", "4"),
  ];
  st.activity = [
    { personId: "t1", date: "2025-10-01", logins: 2, entries: 5 },
    { personId: "t1", date: "2025-10-02", logins: 1, entries: 3 },
    { personId: "p1", date: "2025-10-01", logins: 1, diaryViews: 3 },
    { personId: "p1", date: "2025-09-30", logins: 1, diaryViews: 9 },
  ];
  return ds;
}
