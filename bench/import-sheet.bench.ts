// node --import tsx bench/import-sheet.bench.ts — a year's journal of one class (30 pupils, 15 subjects,
// Sep–May, one sheet a subject with a merged month row) as XLSX through `import-sheet` into PGlite, and
// into PostgreSQL when DATABASE_URL is set: records/s of the first import, then a re-import (0 rows).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { readSheetFiles } from "../src/connectors/sheet/connector.ts";
import { importSheets } from "../src/connectors/sheet/import-sheets.ts";
import { loadMapping } from "../src/connectors/sheet/mapping.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import {
  type MonthDaysSheet,
  tempDir,
  writeMonthDaysXlsx,
} from "../test/connectors/sheet/support/journal-files.ts";
import { dropSchema } from "../test/support/engines.ts";

const SUBJECTS: [string, number][] = [
  ["Математика", 5],
  ["Русский язык", 4],
  ["Литература", 2],
  ["Английский язык", 3],
  ["История", 2],
  ["Обществознание", 1],
  ["География", 2],
  ["Биология", 1],
  ["Физика", 2],
  ["Информатика", 1],
  ["Музыка", 1],
  ["ИЗО", 1],
  ["Технология", 2],
  ["Физкультура", 2],
  ["ОБЗР", 1],
];
const MONTHS = ["Сентябрь", "Октябрь", "Ноябрь", "Декабрь", "Январь", "Февраль", "Март", "Апрель", "Май"];
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const CELLS = ["5", "4", "4", "3", "5", "2", "н", "5 4", "н/а", "осв", "зч", "нз"];

function sheet(subject: string, perWeek: number): MonthDaysSheet {
  const weekdays = [1, 2, 3, 4, 5].slice(0, perWeek);
  const months: MonthDaysSheet["months"] = [];
  for (let i = 0; i < MONTHS.length; i++) {
    const year = i < 4 ? 2025 : 2026;
    const month = ((8 + i) % 12) + 1;
    const days: number[] = [];
    for (let d = 1; d <= 31; d++) {
      const at = new Date(Date.UTC(year, month - 1, d));
      if (at.getUTCMonth() !== month - 1) break;
      if (weekdays.includes(at.getUTCDay())) days.push(d);
    }
    months.push({ name: MONTHS[i], days });
  }
  const lessons = months.reduce((n, m) => n + m.days.length, 0);
  const pupils = Array.from({ length: 30 }, (_, p) => ({
    name: `Ученик${p + 1} Тестовый`,
    cells: Array.from({ length: lessons }, () =>
      rand() < 0.35 ? CELLS[Math.floor(rand() * CELLS.length)] : "",
    ),
  }));
  return { name: `7А ${subject}`, months, pupils, trailing: ["I четв", "Год"] };
}

const dir = tempDir();
const file = join(dir, "7А-год.xlsx");
await writeMonthDaysXlsx(
  file,
  SUBJECTS.map(([s, n]) => sheet(s, n)),
);
const mapping = {
  ...loadMapping("journal-month-days").mapping,
  school: { id: "bench", name: "Bench", timezone: "Europe/Moscow", workweek: 5 as const },
};

async function measure(engine: string, db: Db): Promise<void> {
  let t = performance.now();
  const first = await importSheets(db, [file], mapping, {
    observedAt: "2026-06-01T12:00:00+03:00",
    schoolYear: 2025,
  });
  const s1 = (performance.now() - t) / 1000;
  t = performance.now();
  const again = await importSheets(db, [file], mapping, {
    observedAt: "2026-06-02T12:00:00+03:00",
    schoolYear: 2025,
  });
  const s2 = (performance.now() - t) / 1000;
  const r = first.summary.totals;
  const a = again.summary.totals;
  console.log(
    `${engine}: ${first.contents.sheets} sheets, ${r.read} records (${first.summary.streams.marks?.read} marks, ${first.contents.attendanceCodes} attendance codes) in ${s1.toFixed(1)} s = ${Math.round(r.read / s1)} records/s; re-import ${s2.toFixed(1)} s, rows written ${a.inserted + a.updated + a.deleted}`,
  );
}

const t0 = performance.now();
const parsed = await readSheetFiles([file], mapping, 2025);
const parse = (performance.now() - t0) / 1000;
console.log(`reading the workbook alone: ${parsed.records.marks.length} marks in ${parse.toFixed(1)} s`);
const pglite = await openStore({});
await measure("PGlite", pglite);
await pglite.close();
if (process.env.DATABASE_URL) {
  const schema = `bench_sheet_${Date.now()}`;
  const pg = await openStore({ databaseUrl: process.env.DATABASE_URL, schema });
  try {
    await measure("PostgreSQL", pg);
  } finally {
    await pg.close();
    await dropSchema(schema);
  }
}
rmSync(dir, { recursive: true, force: true });
