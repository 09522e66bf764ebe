// Russian strings of the report builders: titles, column headings, parameter labels, paragraphs.
import { plural } from "../messages.ru.ts";

export const reportBuilderMessages = {
  titles: {
    activity: "Отчёт об активности пользователей электронного журнала",
    performance: "Отчёт об успеваемости и качестве обучения",
    "control-figures": "Показатели контроля ведения электронного журнала",
    movement: "Движение учащихся",
    "class-sizes": "Наполняемость классов",
    "class-teacher-summary": "Сводный отчёт классного руководителя",
    "school-performance": "Сводный отчёт об успеваемости по школе",
    "class-results": "Итоги успеваемости класса за учебный период",
    "marks-sheet": "Сводная ведомость учёта успеваемости",
    "attendance-sheet": "Сводная ведомость учёта посещаемости",
    "class-teacher-preliminary": "Предварительный отчёт классного руководителя за учебный период",
    "class-teacher-period": "Отчёт классного руководителя за учебный период",
    "control-spravka": "Справка по итогам контроля ведения электронного журнала",
    "student-extract": "Выписка из электронного журнала",
    "mean-vs-period": "Средний балл и отметки за период",
    "lessons-substituted": "Замены и отмены уроков",
    "parent-weekly": "Результаты обучения за неделю",
    forecast: "Прогноз отметок за учебный период",
  },
  /** Short titles for report file names («Ведомость успеваемости 5А, 2 четверть 2025-2026.xlsx»). */
  fileTitles: {
    activity: "Активность в электронном журнале",
    performance: "Успеваемость и качество обучения",
    "control-figures": "Показатели контроля ведения журнала",
    movement: "Движение учащихся",
    "class-sizes": "Наполняемость классов",
    "class-teacher-summary": "Сводный отчёт классного руководителя",
    "school-performance": "Успеваемость по школе",
    "class-results": "Итоги успеваемости",
    "marks-sheet": "Ведомость успеваемости",
    "attendance-sheet": "Ведомость посещаемости",
    "class-teacher-preliminary": "Предварительный отчёт классного руководителя",
    "class-teacher-period": "Отчёт классного руководителя",
    "control-spravka": "Справка по контролю ведения журнала",
    "student-extract": "Выписка из электронного журнала",
    "mean-vs-period": "Средний балл и отметки за период",
    "lessons-substituted": "Замены и отмены уроков",
    "parent-weekly": "Результаты обучения за неделю",
    forecast: "Прогноз отметок",
  },
  params: {
    school: "Школа",
    period: "Учебный период",
    month: "Месяц",
    week: "Неделя",
    class: "Класс",
    classTeacher: "Классный руководитель",
    student: "Учащийся",
    cutoffs: "Пороги отметок (3/4/5)",
    rounding: "Округление на пороге",
    inFavour: "в пользу учащегося",
    notInFavour: "не в пользу учащегося",
    asOf: "Данные на",
  },
  col: {
    n: "№",
    class: "Класс",
    grade: "Параллель",
    subject: "Предмет",
    teacher: "Учитель",
    student: "Учащийся",
    date: "Дата",
    lesson: "Урок",
    topic: "Тема урока",
    homework: "Домашнее задание",
    marks: "Отметки",
    marksCount: "Отметок",
    mean: "Средний балл",
    meanShort: "Ср. балл",
    weightedMean: "Средневзвешенный балл",
    byCutoffs: "По порогам",
    periodMark: "Отметка за период",
    mismatch: "Расхождение",
    forecast: "Прогноз",
    reason: "Обоснование",
    students: "Учащихся",
    excellent: "Отличники",
    good: "Хорошисты",
    oneThree: "С одной «3»",
    failing: "Неуспевающие",
    absences: "Пропущено уроков",
    ill: "По болезни",
    excused: "По уважительной причине",
    unexcused: "Без уважительной причины",
    late: "Опозданий",
    absentShare: "Пропущено, %",
    lessons: "Уроков",
    logins: "Входов",
    entries: "Записей",
    activeDays: "Дней работы",
    diaryViews: "Просмотров дневника",
    parents: "Родителей",
    parentsActive: "Открывали дневник",
    parentsActiveShare: "Открывали дневник, %",
    noMarksShare: "Без отметок, %",
    oneMarkShare: "С одной отметкой, %",
    topicShare: "Тема записана, %",
    homeworkShare: "Д/з записано, %",
    atStart: "На начало периода",
    arrived: "Прибыло",
    left: "Выбыло",
    atEnd: "На конец периода",
    event: "Событие",
    when: "Когда отмечено",
    rule: "Нарушение",
    clause: "Пункт",
    count: "Количество",
    open: "Не устранено",
    resolved: "Устранено",
    waived: "Снято",
    deadline: "Срок",
    message: "Замечание",
    week: "Неделя",
    substitute: "Заменяющий учитель",
    topicAuthor: "Тему записал",
    status: "Состояние",
    substituted: "Замещено",
    cancelled: "Отменено",
    period: "Период",
    total: "Всего",
    level: "Уровень образования",
    share: "Доля, %",
    indicator: "Показатель",
    value: "Значение",
  },
  levels: {
    primary: "Начальное общее (1–4)",
    basic: "Основное общее (5–9)",
    secondary: "Среднее общее (10–11)",
  },
  totals: "Итого",
  school: "По школе",
  empty: "Нет данных за выбранный период",
  none: "нет",
  yes: "да",
  notAttested: "н/а",
  absent: "н",
  attendanceStatus: {
    absent: "без уваж. причины",
    ill: "по болезни",
    excused: "по уваж. причине",
    late: "опоздание",
    present: "присутствовал",
  } as Record<string, string>,
  activity: {
    teachers: "Учителя: входы и записи в журнале",
    parents: "Родители: просмотры электронного дневника по классам",
    chart: "Входы учителей за месяц",
    teachersActive: "Учителей работали в журнале",
    parentsActive: "Родителей открывали дневник",
    diaryViews: "Просмотров дневника всего",
  },
  performance: {
    byClass: "По классам (учащиеся по худшей отметке за период)",
    bySubject: "По предметам",
    byClassSubject: "По классам и предметам",
    byTeacher: "По учителям",
    chart: "Качество обучения по классам",
    note: "N — учащиеся без освобождённых и без отметки; «н/а» входит в N. Средний балл — по отметкам за период.",
  },
  controlFigures: {
    participation: "Участие в работе с журналом",
    byClassSubject: "Отметки, темы и домашние задания по классам и предметам",
    teachers: "Учителей работали в журнале",
    parents: "Родителей открывали дневник",
    students: "Учащихся входили в дневник",
    chart: "Учащиеся без отметок по классам",
  },
  movement: {
    byClass: "Движение по классам",
    list: "Прибывшие и выбывшие",
    arrived: "прибыл(а)",
    left: "выбыл(а)",
    note: "Прибытие и выбытие — по наблюдениям синхронизации: появление учащегося в журнале после начала периода и исчезновение из него.",
  },
  classSizes: { chart: "Наполняемость классов", byLevel: "По уровням образования" },
  classTeacherSummary: { students: "Успеваемость и посещаемость учащихся" },
  schoolPerformance: {
    byClass: "Итоги по классам",
    byLevel: "Итоги по уровням образования",
    chart: "Успеваемость и качество по классам",
  },
  classResults: {
    matrix: "Отметки за период",
    bySubject: "Показатели по предметам",
    chart: "Качество по предметам",
  },
  marksSheet: { period: (name: string) => `Отметки: ${name}` },
  attendanceSheet: { students: "Пропуски уроков по учащимся", chart: "Пропуски уроков по неделям" },
  preliminary: {
    summary: "Прогноз по классу",
    risks: "Учащиеся с прогнозом «2»",
    note: "Прогноз — по текущим отметкам и порогам школы; отметки за период ещё не выставлены.",
  },
  classPeriod: {
    summary: "Итоги класса",
    lists: "Группы учащихся",
    failingList: "Неуспевающие и не аттестованные",
  },
  spravka: {
    purpose: "Цель проверки",
    purposeText: (month: string) =>
      `Контроль правильности и своевременности оформления записей в электронном журнале, накопляемости и своевременности выставления отметок, учёта посещаемости и объёма домашних заданий за ${month} (п. 5.2 Положения об электронном журнале).`,
    findings: "Замечания",
    findingsText: (total: number, open: number) =>
      total === 0
        ? "Нарушений порядка ведения электронного журнала за месяц не выявлено."
        : `Выявлено ${total} ${plural(total, "нарушение", "нарушения", "нарушений")}, из них не устранено на дату справки: ${open}.`,
    byRule: "Замечания по видам нарушений",
    byTeacher: "Замечания по учителям",
    chart: "Нарушения по неделям",
    proposals: "Предложения",
    proposalRule: (title: string, count: number) =>
      `Обратить внимание учителей на требование «${title}» (${count} ${plural(count, "случай", "случая", "случаев")}).`,
    proposalTeacher: (name: string, open: number) =>
      `${name}: устранить ${open} ${plural(open, "замечание", "замечания", "замечаний")} в течение 3 рабочих дней.`,
    proposalNone: "Продолжить работу в установленном порядке.",
    proposalControl: "Повторную проверку провести в следующем месяце.",
    signature: (name: string) => `Заместитель директора по УВР ____________ ${name}`,
    unknownTeacher: "Не назначен",
  },
  studentExtract: {
    current: "Текущие отметки",
    attestation: "Результаты промежуточной аттестации",
    basis: "Выписка предоставляется по заявлению (п. 2.11 Положения об электронном журнале).",
  },
  meanVsPeriod: { table: "Средний балл и отметка за период", mismatches: "Расхождений" },
  substitutions: {
    substituted: "Замещённые уроки",
    cancelled: "Отменённые уроки (удалены из расписания)",
    byTeacher: "Замены по учителям",
    missed: "Пропущено уроков (заменяли)",
    covered: "Заменял уроков",
  },
  parentWeekly: {
    marks: "Отметки за неделю",
    lessons: "Уроки и домашние задания",
    absences: "Пропуски",
    absencesTotal: "Пропусков и опозданий за неделю",
    signature: "Подпись родителя ____________",
    noneSelected: "Все родители класса пользуются электронным дневником: распечатки не нужны.",
  },
  forecast: {
    table: "Прогноз по предметам",
    summary: "Сводка по классу",
    chart: "Прогноз: сколько отметок за период выходит на «5», «4», «3», «2»",
  },
  errors: {
    noSchool: (id: string) => `no school "${id}" in the store`,
    noPeriod: (id: string, known: string[]) => `no period "${id}" (periods: ${known.join(", ") || "none"})`,
    noClass: (id: string, known: string[]) => `no class "${id}" (classes: ${known.join(", ") || "none"})`,
    noStudent: (id: string) => `no student "${id}" in the school`,
    badMonth: (month: string) => `month must be YYYY-MM, got "${month}"`,
    badDate: (date: string) => `date must be YYYY-MM-DD, got "${date}"`,
    noDefaultPeriod: "the store holds no periods: name one with --period",
  },
} as const;

const MONTHS = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
  "декабрь",
];

/** "2025-10" → "октябрь 2025". */
export function monthName(month: string): string {
  const [y, mo] = month.split("-").map(Number);
  return `${MONTHS[mo - 1] ?? month} ${y}`;
}

const PERIOD_KINDS: Record<string, string> = {
  quarter: "четверть",
  semester: "полугодие",
  trimester: "триместр",
  year: "учебный год",
};

/** A period as printed: «1 четверть (01.09.2025–24.10.2025)». */
export function periodName(p: { kind: string; number: number; start: string; end: string }): string {
  const d = (s: string) => s.split("-").reverse().join(".");
  const name =
    p.kind === "year"
      ? `${PERIOD_KINDS.year} ${p.start.slice(0, 4)}/${p.end.slice(0, 4)}`
      : `${p.number} ${PERIOD_KINDS[p.kind] ?? p.kind}`;
  return `${name} (${d(p.start)}–${d(p.end)})`;
}

/** The school year `2025-2026` a date falls in (1 September to 31 August). */
export function schoolYearOf(date: string): string {
  const [y, mo] = date.split("-").map(Number);
  return mo >= 9 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}

/** A period in a file name: «2 четверть 2025-2026», «учебный год 2025-2026». */
export function periodFileLabel(p: { kind: string; number: number; start: string }): string {
  const name = p.kind === "year" ? PERIOD_KINDS.year : `${p.number} ${PERIOD_KINDS[p.kind] ?? p.kind}`;
  return `${name} ${schoolYearOf(p.start)}`;
}

/** A week in a file name: «неделя с 29.09.2025». */
export function weekFileLabel(monday: string): string {
  return `неделя с ${monday.split("-").reverse().join(".")}`;
}

/** A short period column title: «1 ч.», «2 пол.», «Год». */
export function periodShort(p: { kind: string; number: number }): string {
  if (p.kind === "year") return "Год";
  const short: Record<string, string> = { quarter: "ч.", semester: "пол.", trimester: "трим." };
  return `${p.number} ${short[p.kind] ?? p.kind}`;
}
