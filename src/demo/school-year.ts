// The school year the demo school lives in (2025/26, after the Минпросвещения recommendations):
// quarters, vacations, the bell schedule, the platform outages, and what each size looks like.
import { deriveSeed, Rng } from "./random.ts";

export type DemoSize = "small" | "medium" | "large";

export interface QuarterDef {
  id: string;
  number: 1 | 2 | 3 | 4;
  start: string;
  end: string;
}

export const YEAR = { id: "year-2025", start: "2025-09-01", end: "2026-05-26" } as const;
/** The previous year, present only through late entries that prove it was not closed on time. */
export const PREVIOUS_YEAR = { id: "year-2024", start: "2024-09-02", end: "2025-05-26" } as const;

export const QUARTERS: readonly QuarterDef[] = [
  { id: "q1-2025", number: 1, start: "2025-09-01", end: "2025-10-24" },
  { id: "q2-2025", number: 2, start: "2025-11-05", end: "2025-12-30" },
  { id: "q3-2025", number: 3, start: "2026-01-12", end: "2026-03-27" },
  { id: "q4-2025", number: 4, start: "2026-04-06", end: "2026-05-26" },
];

/** School vacations (каникулы) for all grades: calendar.jsonl overrides of kind vacation. */
export const VACATIONS: readonly { from: string; to: string; name: string }[] = [
  { from: "2025-10-25", to: "2025-11-04", name: "осенние каникулы" },
  { from: "2025-12-31", to: "2026-01-11", name: "зимние каникулы" },
  { from: "2026-03-28", to: "2026-04-05", name: "весенние каникулы" },
];

/**
 * The extra February week for grade 1. The dataset's calendar has no per-grade overrides, so it
 * shows only as grade-1 classes having no lessons on these days.
 */
export const GRADE1_EXTRA_VACATION = { from: "2026-02-16", to: "2026-02-22" } as const;

/** Deadline of 001 §3.3 (periods, classes, plan, schedule) and the date the late class starts. */
export const SETUP_DEADLINE = "2025-09-10";
export const LATE_SETUP_FIRST_DAY = "2025-09-15";
/** 001 §3.1: the administrator closes the year before 30 August. */
export const CLOSE_DEADLINE_OF_PREVIOUS_YEAR = "2025-08-30";

/** Bells: lesson number → [start, end] in minutes after local midnight (40-minute lessons). */
export const BELLS: readonly (readonly [number, number])[] = [
  [0, 0],
  [8 * 60 + 30, 9 * 60 + 10],
  [9 * 60 + 20, 10 * 60],
  [10 * 60 + 20, 11 * 60],
  [11 * 60 + 20, 12 * 60],
  [12 * 60 + 10, 12 * 60 + 50],
  [13 * 60, 13 * 60 + 40],
  [13 * 60 + 50, 14 * 60 + 30],
];

export interface OutageDef {
  date: string;
  fromMin: number;
  toMin: number;
  note: string;
}

/**
 * Platform downtime on two school days. The first one covers the 15:00 topic deadline and the
 * homework deadlines of the day, so entries made right after it are on time (001 §3.5).
 */
export const OUTAGES: readonly OutageDef[] = [
  {
    date: "2025-11-18",
    fromMin: 12 * 60 + 30,
    toMin: 16 * 60 + 30,
    note: "Платформа недоступна: сбой сервера",
  },
  { date: "2025-12-09", fromMin: 8 * 60 + 5, toMin: 9 * 60 + 55, note: "Ошибка авторизации на платформе" },
];

/** Final attestation stages held inside the year (итоговое сочинение, итоговое собеседование). */
export const FINAL_WORKS: readonly { grade: number; subjectId: string; date: string; title: string }[] = [
  { grade: 11, subjectId: "rus", date: "2025-12-03", title: "Итоговое сочинение" },
  { grade: 9, subjectId: "rus", date: "2026-02-11", title: "Итоговое собеседование" },
];

/** External works: a regional diagnostic work and a federal study (НИКО). */
export const EXTERNAL_WORKS: readonly {
  kind: "regional" | "federal";
  grades: readonly number[];
  subjectIds: readonly string[];
  from: string;
  to: string;
  title: string;
}[] = [
  {
    kind: "regional",
    grades: [5, 6, 7, 8, 9],
    subjectIds: ["math", "alg"],
    from: "2025-10-13",
    to: "2025-10-17",
    title: "Региональная диагностическая работа",
  },
  {
    kind: "federal",
    grades: [6, 8, 10],
    subjectIds: ["geo"],
    from: "2025-11-17",
    to: "2025-11-28",
    title: "Национальное исследование качества образования",
  },
];

export interface SizeProfile {
  /** Parallel classes per grade 1..11. */
  parallels: readonly number[];
  classSize: readonly [number, number];
  /** observedAt: the date and local time (just after the end of a quarter). */
  observedDate: string;
  observedMin: number;
}

export const SIZES: Record<DemoSize, SizeProfile> = {
  small: {
    parallels: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    classSize: [21, 25],
    observedDate: "2026-01-21",
    observedMin: 18 * 60,
  },
  medium: {
    parallels: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
    classSize: [23, 27],
    observedDate: "2026-01-21",
    observedMin: 18 * 60,
  },
  large: {
    parallels: [5, 5, 5, 5, 5, 4, 4, 4, 4, 2, 2],
    classSize: [25, 29],
    observedDate: "2026-04-15",
    observedMin: 18 * 60,
  },
};

export const LETTERS = ["А", "Б", "В", "Г", "Д", "Е"] as const;
export const LETTERS_LATIN = ["a", "b", "v", "g", "d", "e"] as const;

const ZONES = ["Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Novosibirsk"] as const;

export interface SchoolProfile {
  id: string;
  name: string;
  timezone: string;
  workweek: 5 | 6;
}

/** The school's identity, zone and week, chosen by the seed alone. */
export function schoolProfile(seed: number): SchoolProfile {
  const rng = new Rng(deriveSeed(seed, "school"));
  const number = rng.int(2, 120);
  const timezone = rng.pick(ZONES);
  const workweek: 5 | 6 = rng.chance(0.4) ? 6 : 5;
  return {
    id: `demo-${seed >>> 0}`,
    name: `МБОУ «Средняя общеобразовательная школа № ${number}» (демо)`,
    timezone,
    workweek,
  };
}
