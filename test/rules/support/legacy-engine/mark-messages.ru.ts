// Russian texts of the mark, attestation, period-mark, year and parent rules (rules B block; to be
// merged into messages.ru.ts as a separate block).

import { DateTime } from "luxon";
import type { WorkKind } from "../../../../src/model/records.ts";

// ─── Marks, attestation, period marks, year, parents (owner: rules B) ───────────────────────────

/** «14.10.2025» of a `YYYY-MM-DD` date. */
function ruDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** The work «за что» a mark is given, in the accusative. */
const WORK_ACCUSATIVE: Record<WorkKind, string> = {
  oral: "устный ответ",
  written: "письменную работу",
  test: "проверочную работу (тест)",
  control: "контрольную работу",
  lab: "лабораторную работу",
  practical: "практическую работу",
  regional: "региональную работу",
  federal: "федеральную работу",
  intermediate: "промежуточную аттестацию",
  final: "итоговую аттестацию",
};

/** A period «за что», in the accusative: «1-ю четверть», «2-е полугодие», «учебный год». */
const PERIOD_ACCUSATIVE = {
  quarter: (n: number) => `${n}-ю четверть`,
  semester: (n: number) => `${n}-е полугодие`,
  trimester: (n: number) => `${n}-й триместр`,
  year: () => "учебный год",
} as const;

export interface WorkPlace {
  kind: WorkKind;
  className: string;
  subject: string;
  workDate: string;
}

export const markRuleMessages = {
  date: ruDate,
  /** «21.10.2025 23:59» of an instant, on the school's clock. */
  deadline: (instant: Date, timezone: string): string =>
    DateTime.fromJSDate(instant, { zone: timezone }).toFormat("dd.LL.yyyy HH:mm"),
  periodName: (kind: keyof typeof PERIOD_ACCUSATIVE, number: number): string =>
    PERIOD_ACCUSATIVE[kind](number),

  titleOralLate: "Оценка за устный ответ не в день урока",
  titleWrittenLate: "Оценки за письменную работу выставлены позже срока",
  titleExternalLate: "Оценки за региональную или федеральную работу выставлены позже срока",
  titleIntermediateLate: "Результаты промежуточной аттестации выставлены позже срока",
  titleFinalLate: "Результаты итоговой аттестации выставлены позже срока",
  titlePeriodMarkLate: "Итоговая отметка за период выставлена позже срока",
  titlePeriodMarkUnjustified: "Итоговая отметка за период не обоснована текущими отметками",
  titleAccumulation: "Недостаточная накопляемость отметок",
  titleControlWorkMissing: "Нет контрольных и письменных работ за период",
  titleYearSetupLate: "Учебный год не настроен в срок",
  titleYearCloseLate: "Учебный год не закрыт в срок",
  titleParentsMonitoring: "Родители редко просматривают электронный дневник",

  oralLate: (p: { className: string; subject: string; lessonDate: string; deadline: string }): string =>
    `Оценка за устный ответ на уроке «${p.subject}» в ${p.className} классе ${ruDate(p.lessonDate)} ` +
    `выставлена не в день урока (срок — ${p.deadline}).`,

  workMarksLate: (w: WorkPlace, deadline: string, missing: boolean): string =>
    missing
      ? `Нет оценок за ${WORK_ACCUSATIVE[w.kind]} по предмету «${w.subject}» в ${w.className} классе ` +
        `от ${ruDate(w.workDate)}: срок выставления истёк ${deadline}.`
      : `Оценки за ${WORK_ACCUSATIVE[w.kind]} по предмету «${w.subject}» в ${w.className} классе ` +
        `от ${ruDate(w.workDate)} выставлены позже срока (срок — ${deadline}).`,

  periodMarkLate: (p: {
    className: string;
    subject: string;
    period: string;
    deadline: string;
    missing: boolean;
  }): string =>
    p.missing
      ? `Не выставлена итоговая отметка за ${p.period} по предмету «${p.subject}» ученику ${p.className} ` +
        `класса (срок — ${p.deadline}).`
      : `Итоговая отметка за ${p.period} по предмету «${p.subject}» ученику ${p.className} класса ` +
        `выставлена позже срока (срок — ${p.deadline}).`,

  periodMarkUnjustified: (p: { className: string; subject: string; period: string }): string =>
    `Итоговая отметка за ${p.period} по предмету «${p.subject}» ученику ${p.className} класса ` +
    "не соответствует среднему взвешенному баллу его текущих отметок. Проверьте и обоснуйте отметку.",

  accumulation: (p: {
    className: string;
    subject: string;
    period: string;
    counted: number;
    required: number;
  }): string =>
    `У ученика ${p.className} класса за ${p.period} по предмету «${p.subject}» ${p.counted} ` +
    `${plural(p.counted, "отметка", "отметки", "отметок")} при минимуме ${p.required}.`,

  controlWorkMissing: (p: { className: string; subject: string; period: string }): string =>
    `В ${p.className} классе за ${p.period} по предмету «${p.subject}» в журнале нет ни одной ` +
    "контрольной, письменной, лабораторной или практической работы.",

  yearNotCreated: (p: { year: string; deadline: string }): string =>
    `Учебный год ${p.year} создан в электронном журнале позже срока (срок — ${p.deadline}).`,

  scheduleNotSet: (p: { year: string; className: string; deadline: string }): string =>
    `Расписание ${p.className} класса на ${p.year} учебный год не внесено в электронный журнал ` +
    `к сроку (${p.deadline}): уроков до этой даты в журнале нет.`,

  scheduleLate: (p: { year: string; className: string; deadline: string }): string =>
    `Расписание ${p.className} класса на ${p.year} учебный год внесено в электронный журнал позже срока ` +
    `(${p.deadline}).`,

  yearNotClosed: (p: { year: string; deadline: string }): string =>
    `Учебный год ${p.year} не закрыт к сроку (${p.deadline}): после него в журнал этого года ` +
    "вносились записи.",

  parentsMonitoring: (p: {
    weekStart: string;
    weekEnd: string;
    className: string;
    views: number;
    required: number;
  }): string =>
    `Родитель ученика ${p.className} класса за неделю ${ruDate(p.weekStart)}–${ruDate(p.weekEnd)} открыл ` +
    `электронный дневник ${p.views} ${plural(p.views, "раз", "раза", "раз")} (нужно не реже ${p.required} ` +
    "раз в неделю). Напомните родителю о контроле успеваемости.",
} as const;

function plural(n: number, one: string, few: string, many: string): string {
  const n10 = n % 10;
  const n100 = n % 100;
  if (n10 === 1 && n100 !== 11) return one;
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return few;
  return many;
}

// ─── end of the rules B block ───────────────────────────────────────────────────────────────────
