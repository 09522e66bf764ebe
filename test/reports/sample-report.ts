// Builders of sample reports for the renderer tests (invented names, no real pupils).
import {
  countOutcomes,
  learningLevel,
  meanMark,
  qualityRate,
  successRate,
} from "../../src/reports/metrics.ts";
import type { Column, Report, Row } from "../../src/reports/model.ts";

const SURNAMES = ["Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Попова", "Васильев", "Новикова"];
const NAMES = ["Артём", "Мария", "Илья", "Софья", "Дмитрий", "Анна", "Егор", "Полина"];

/** «Фамилия Имя» for the i-th invented pupil, unique per i. */
export function pupilName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]} ${NAMES[Math.floor(i / SURNAMES.length) % NAMES.length]} №${i + 1}`;
}

/** Period marks per subject for a class: deterministic, includes осв., н/а and a pupil without marks. */
export const CLASS_MARKS: Record<string, (number | string | null)[]> = {
  "Русский язык": [5, 4, 4, 3, 5, 4, 3, 2, 4, 5],
  Математика: [5, 5, 4, 3, 3, 4, "н/а", 3, 4, 5],
  "Физическая культура": [5, 5, 5, "осв", 4, 5, 5, 4, null, 5],
  "Иностранный язык (английский)": [4, 4, 4, 3, 5, 4, 3, 3, 4, 4],
};

export function classResultsReport(): Report {
  const columns: Column[] = [
    { key: "subject", title: "Предмет", kind: "text" },
    { key: "n", title: "Учтено (N)", kind: "int" },
    { key: "n5", title: "«5»", kind: "int" },
    { key: "n4", title: "«4»", kind: "int" },
    { key: "n3", title: "«3»", kind: "int" },
    { key: "n2", title: "«2»", kind: "int" },
    { key: "na", title: "н/а", kind: "int" },
    { key: "success", title: "Успеваемость", kind: "percent" },
    { key: "quality", title: "Качество", kind: "percent" },
    { key: "sou", title: "СОУ", kind: "percent" },
    { key: "mean", title: "Средний балл", kind: "decimal" },
  ];
  const rows: Row[] = Object.entries(CLASS_MARKS).map(([subject, marks]) => {
    const c = countOutcomes(marks);
    return {
      subject,
      n: c.counted,
      n5: c.n5,
      n4: c.n4,
      n3: c.n3,
      n2: c.n2,
      na: c.nNotAttested,
      success: successRate(c),
      quality: qualityRate(c),
      sou: learningLevel(c),
      mean: meanMark(marks.filter((m) => m !== null).map((value) => ({ value }))),
    };
  });
  const all = countOutcomes(Object.values(CLASS_MARKS).flat());
  const totalsRow: Row = {
    subject: "Итого по классу",
    n: all.counted,
    n5: all.n5,
    n4: all.n4,
    n3: all.n3,
    n2: all.n2,
    na: all.nNotAttested,
    success: successRate(all),
    quality: qualityRate(all),
    sou: learningLevel(all),
    mean: null,
  };
  const subjects = Object.keys(CLASS_MARKS);
  return {
    kind: "class-period-results",
    title: "Итоги успеваемости класса за учебный период",
    subtitle: "МБОУ «Средняя общеобразовательная школа № 1»",
    parameters: [
      { label: "Класс", value: "7Б" },
      { label: "Период", value: "1 четверть 2026/2027 учебного года" },
      { label: "Классный руководитель", value: "Орлова Е. В." },
    ],
    generatedAt: "2026-11-02T14:30:00+03:00",
    orientation: "landscape",
    sections: [
      {
        heading: "Успеваемость и качество по предметам",
        paragraphs: [
          "N — число учащихся без освобождённых и без отметки; «н/а» входят в N. Успеваемость = (n5 + n4 + n3)·100 / N, качество = (n5 + n4)·100 / N.",
        ],
        tables: [{ columns, rows, totalsRow }],
        totals: [
          { label: "Учащихся в классе", value: 10 },
          { label: "Освобождены", value: all.exempt },
        ],
      },
      {
        heading: "Качество знаний",
        chart: {
          kind: "bar",
          title: "Качество и успеваемость по предметам",
          categories: subjects,
          unit: "%",
          series: [
            { name: "Успеваемость", values: rows.map((r) => Number(r.success)) },
            { name: "Качество", values: rows.map((r) => Number(r.quality)) },
          ],
        },
      },
      {
        heading: "Динамика среднего балла",
        chart: {
          kind: "line",
          title: "Средний балл по месяцам",
          categories: ["Сентябрь", "Октябрь", "Ноябрь", "Декабрь"],
          unit: "балл",
          series: [
            { name: "Русский язык", values: [3.9, 4.05, 4.1, 4.2] },
            { name: "Математика", values: [3.6, 3.8, 3.75, 4.0] },
          ],
        },
      },
    ],
  };
}

export const LONG_TEXT =
  "Тема урока: Сложноподчинённые предложения с несколькими придаточными; однородное, неоднородное и последовательное подчинение придаточных. Знаки препинания в сложноподчинённом предложении. Повторение изученного за четверть, подготовка к контрольному диктанту с грамматическим заданием — " +
  "ОченьДлинноеСловоБезПробеловКотороеНеПомещаетсяВСтолбецИДолжноБытьРазорваноНаЧасти";

/** A register of n rows (the multi-page test), with a long-text column. */
export function registerReport(n: number, orientation: "portrait" | "landscape" = "portrait"): Report {
  const columns: Column[] = [
    { key: "no", title: "№", kind: "int" },
    { key: "name", title: "Фамилия, имя", kind: "text" },
    { key: "date", title: "Дата", kind: "date" },
    { key: "topic", title: "Тема урока", kind: "text" },
    { key: "mean", title: "Средний балл", kind: "decimal" },
  ];
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({
    no: i + 1,
    name: pupilName(i),
    date: `2026-10-${String((i % 28) + 1).padStart(2, "0")}`,
    topic: i === 3 ? LONG_TEXT : `Тема ${i + 1}`,
    mean: 3 + (i % 20) / 10,
  }));
  return {
    kind: "register",
    title: "Сводная ведомость учёта успеваемости",
    parameters: [{ label: "Класс", value: "9А" }],
    generatedAt: "2026-11-25T09:00:00+03:00",
    orientation,
    sections: [{ heading: "Ведомость", tables: [{ columns, rows }] }],
  };
}
