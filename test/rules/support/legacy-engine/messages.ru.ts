// Russian texts of the rules module (engine and lesson rules): rule titles and the messages a teacher
// reads. Never a mark's value. The mark/period/year/parent rules keep theirs in mark-messages.ru.ts.
import { DateTime } from "luxon";

export interface LessonLabel {
  subject: string;
  className: string;
  date: string;
  number: number;
}

/** "12.11.2025 15:00" in the school's zone. */
export function localTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("dd.LL.yyyy HH:mm");
}

export function localDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** урок «Математика» в 5А классе 01.10.2025 (2-й урок) */
export function lessonText(l: LessonLabel): string {
  return `урок «${l.subject}» в ${l.className} классе ${localDate(l.date)} (${l.number}-й урок)`;
}

export const ruleTitles = {
  "lesson.topic.late": "Тема урока не записана в день урока в установленный срок",
  "lesson.topic.in-advance": "Тема урока записана заранее, до дня урока",
  "homework.late": "Домашнее задание записано позже установленного срока",
  "attendance.not-taken": "Посещаемость урока не отмечена в день урока",
  "grade1.marks": "Отметки или домашнее задание в 1-м классе",
  "substitution.wrong-author": "Записи о замещённом уроке сделаны не учителем, проводившим замену",
} as const;

export const messages = {
  topicMissing: (l: LessonLabel, due: string) => `Не записана тема: ${lessonText(l)}. Срок — ${due}.`,
  topicLate: (l: LessonLabel, due: string, at: string) =>
    `Тема записана с опозданием (${at}): ${lessonText(l)}. Срок — ${due}.`,
  topicInAdvance: (l: LessonLabel, at: string) =>
    `Тема записана заранее (${at}), до дня урока: ${lessonText(l)}. Записи об уроках заранее делать запрещено.`,
  homeworkLate: (l: LessonLabel, due: string, at: string) =>
    `Домашнее задание записано с опозданием (${at}): ${lessonText(l)}. Срок — ${due}.`,
  attendanceMissing: (l: LessonLabel, due: string) =>
    `Не отмечена посещаемость: ${lessonText(l)}. Срок — ${due}.`,
  attendanceLate: (l: LessonLabel, due: string, at: string) =>
    `Посещаемость отмечена с опозданием (${at}): ${lessonText(l)}. Срок — ${due}.`,
  grade1Mark: (className: string, subject: string, date: string) =>
    `В ${className} классе выставлена отметка по предмету «${subject}» (${date}): в 1-х классах отметки не ставятся.`,
  grade1Homework: (l: LessonLabel) =>
    `Записано домашнее задание: ${lessonText(l)}. В 1-х классах домашнее задание в журнал не ставится.`,
  wrongAuthor: (l: LessonLabel, what: string) =>
    `Замещённый урок заполнен не учителем, проводившим замену (${what}): ${lessonText(l)}.`,
  wrongAuthorTopic: "тема урока",
  wrongAuthorMarks: (n: number) => `отметки: ${n}`,
} as const;

export const warningMessages = {
  topicToday: (l: LessonLabel, due: string) =>
    `Урок прошёл, тема ещё не записана: ${lessonText(l)}. Срок — ${due}.`,
  attendanceToday: (l: LessonLabel, due: string) =>
    `Урок прошёл, посещаемость ещё не отмечена: ${lessonText(l)}. Срок — ${due}.`,
  writtenMarksDue: (subject: string, className: string, date: string, missing: number, due: string) =>
    `Завтра истекает срок выставления отметок за письменную работу («${subject}», ${className} класс, ${localDate(date)}): не хватает отметок — ${missing}. Срок — ${due}.`,
  accumulationAtRisk: (subject: string, className: string, have: number, left: number, need: number) =>
    `Ученик ${className} класса не сможет набрать минимум отметок по предмету «${subject}» до конца периода: есть ${have}, уроков осталось ${left}, нужно ${need}.`,
} as const;

export const checkMessages = {
  noFindings: "Нарушений не найдено.",
  summary: (n: number, open: number, resolved: number) =>
    `Новых нарушений: ${n}, остаются открытыми: ${open}, устранено: ${resolved}.`,
  incidentChanges: (n: number) =>
    `Изменений после сообщения о нарушении доступа: ${n} (недействительны, на проверку).`,
  noChanges: "Изменений через эту учётную запись после сообщения нет.",
} as const;
