// Russian strings of the reports module (labels printed in reports, never in logs).
export const reportMessages = {
  generatedAt: "Сформирован",
  parameters: "Параметры",
  totals: "Итого",
  page: (n: number, of: number) => `Стр. ${n} из ${of}`,
  category: "Категория",
  table: (n: number) => `Таблица ${n}`,
  sheetSummary: "Сводка",
  emptyTable: "Нет данных",
  metrics: {
    students: "Учащихся",
    studentsCounted: "Учтено (N)",
    exempt: "Освобождены",
    noMark: "Без отметки",
    n5: "«5»",
    n4: "«4»",
    n3: "«3»",
    n2: "«2»",
    notAttested: "н/а",
    successRate: "Успеваемость, %",
    qualityRate: "Качество, %",
    sou: "СОУ, %",
    meanMark: "Средний балл",
  },
  forecast: {
    current: (mean: string, mark: number) => `Средний балл ${mean}, выходит «${mark}»`,
    noMarks: "Отметок пока нет",
    top: "Выходит высшая отметка",
    need: (count: number, value: number, target: number) =>
      `Чтобы выйти на «${target}», нужно ещё ${count} ${plural(count, "отметка", "отметки", "отметок")} «${value}»`,
    unreachable: (value: number, target: number) => `Отметками «${value}» до «${target}» не дотянуть`,
  },
} as const;

/** Russian plural form for a count: 1 отметка, 2 отметки, 5 отметок. */
export function plural(count: number, one: string, few: string, many: string): string {
  const n = Math.abs(count) % 100;
  const last = n % 10;
  if (n >= 11 && n <= 14) return many;
  if (last === 1) return one;
  if (last >= 2 && last <= 4) return few;
  return many;
}
