// School performance metrics as «Сетевой город» defines them (DESIGN.md, Reports; ANCHORS §2).
// Pure functions over mark values; no store access, no rounding for display (renderers do that).
import { z } from "zod";
import { formatNumber } from "./format.ts";
import { reportMessages } from "./messages.ru.ts";

/** A mark as the journal holds it (see markValueSchema in model/records.ts). */
export type MarkValue = number | string;

/** Non-numeric journal codes. */
export type MarkCode = "н/а" | "осв" | "зч" | "нз";

/** A numeric mark 1–5, a code, or null when the value is none of these. */
export function normalizeMark(value: MarkValue | null | undefined): number | MarkCode | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
  const text = value.trim().toLowerCase().replace(/\.$/, "");
  if (/^[1-5]$/.test(text)) return Number(text);
  if (text === "н/а" || text === "на") return "н/а";
  if (text === "осв") return "осв";
  if (text === "зч" || text === "зачет" || text === "зачёт") return "зч";
  if (text === "нз" || text === "незачет" || text === "незачёт") return "нз";
  return null;
}

/** How the students of a class/subject split by their period mark. */
export interface OutcomeCounts {
  /** All students given (one entry each). */
  students: number;
  /** Exempt (осв.): outside N. */
  exempt: number;
  /** No mark at all: outside N. */
  noMark: number;
  /** Pass/fail codes (зч/нз): outside N, since the formulas are defined for graded marks only. */
  passFail: number;
  n5: number;
  n4: number;
  n3: number;
  /** Unsatisfactory: «2», and «1» where a school uses it. */
  n2: number;
  /** Not attested (н/а): stays in N. */
  nNotAttested: number;
  /** N = students − exempt − no mark (− pass/fail); н/а stays in N. */
  counted: number;
}

/**
 * Counts one period mark per student (null/undefined = the student has no mark).
 * Students who left before the period end must not be passed in.
 */
export function countOutcomes(marks: ReadonlyArray<MarkValue | null | undefined>): OutcomeCounts {
  const c: OutcomeCounts = {
    students: marks.length,
    exempt: 0,
    noMark: 0,
    passFail: 0,
    n5: 0,
    n4: 0,
    n3: 0,
    n2: 0,
    nNotAttested: 0,
    counted: 0,
  };
  for (const raw of marks) {
    const mark = normalizeMark(raw);
    if (mark === null) c.noMark++;
    else if (mark === "осв") c.exempt++;
    else if (mark === "зч" || mark === "нз") c.passFail++;
    else if (mark === "н/а") c.nNotAttested++;
    else if (mark === 5) c.n5++;
    else if (mark === 4) c.n4++;
    else if (mark === 3) c.n3++;
    else c.n2++;
  }
  c.counted = c.n5 + c.n4 + c.n3 + c.n2 + c.nNotAttested;
  return c;
}

/** Успеваемость % = (n5 + n4 + n3)·100 / N; null when N = 0. */
export function successRate(c: OutcomeCounts): number | null {
  return c.counted === 0 ? null : ((c.n5 + c.n4 + c.n3) * 100) / c.counted;
}

/** Качество % = (n5 + n4)·100 / N; null when N = 0. */
export function qualityRate(c: OutcomeCounts): number | null {
  return c.counted === 0 ? null : ((c.n5 + c.n4) * 100) / c.counted;
}

/** Степень обученности % = (n5·100 + n4·64 + n3·36 + n2·16 + nн/а·7) / N; null when N = 0. */
export function learningLevel(c: OutcomeCounts): number | null {
  if (c.counted === 0) return null;
  return (c.n5 * 100 + c.n4 * 64 + c.n3 * 36 + c.n2 * 16 + c.nNotAttested * 7) / c.counted;
}

/** All three rates at once, for a report row. */
export function outcomeRates(c: OutcomeCounts): {
  successRate: number | null;
  qualityRate: number | null;
  learningLevel: number | null;
} {
  return { successRate: successRate(c), qualityRate: qualityRate(c), learningLevel: learningLevel(c) };
}

/** A current mark with the weight of its work (absent = 1). */
export interface WeightedMark {
  value: MarkValue;
  weight?: number;
}

export interface MeanOptions {
  /** Use per-work weights where present (default true); false gives the plain mean. */
  useWeights?: boolean;
}

/**
 * Средний балл = Σ(mark·weight) / Σweight over numeric marks; ОСВ, ЗЧ, НЗ and н/а are not numbers
 * and are left out. A double mark (e.g. «5/4» for one work) is two mark records, so it counts twice.
 * Null when there is no numeric mark.
 */
export function meanMark(marks: ReadonlyArray<WeightedMark>, options: MeanOptions = {}): number | null {
  const useWeights = options.useWeights ?? true;
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    const value = normalizeMark(m.value);
    if (typeof value !== "number") continue;
    const w = useWeights ? (m.weight ?? 1) : 1;
    if (!(w > 0)) continue;
    sum += value * w;
    weights += w;
  }
  return weights === 0 ? null : sum / weights;
}

/**
 * How a period mark follows from the mean: each school's local act (ANCHORS §2), so always a
 * parameter. `thresholds` are the least means for «3», «4», «5»; `inStudentsFavour` decides a
 * mean exactly on a cut-off: true → the higher mark (mean ≥ cut-off), false → the lower (mean > cut-off).
 */
export const periodMarkPolicySchema = z
  .object({
    thresholds: z.object({
      3: z.number().min(1).max(5),
      4: z.number().min(1).max(5),
      5: z.number().min(1).max(5),
    }),
    inStudentsFavour: z.boolean(),
  })
  .refine((p) => p.thresholds[3] < p.thresholds[4] && p.thresholds[4] < p.thresholds[5], {
    message: "cut-offs must rise: «3» < «4» < «5»",
    path: ["thresholds"],
  });
export type PeriodMarkPolicy = z.infer<typeof periodMarkPolicySchema>;

/** The cut-off sets schools use (2.5/3.5/4.5, 2.6/3.6/4.6, 2.65/3.65/4.65), for presets and UIs. */
export const PERIOD_MARK_CUTOFFS = {
  half: { 3: 2.5, 4: 3.5, 5: 4.5 },
  sixTenths: { 3: 2.6, 4: 3.6, 5: 4.6 },
  sixtyFiveHundredths: { 3: 2.65, 4: 3.65, 5: 4.65 },
} as const satisfies Record<string, PeriodMarkPolicy["thresholds"]>;

// Means are sums of products of small numbers; a tolerance keeps 4.4999999999 on the 4.5 cut-off.
const EPSILON = 1e-9;

function reaches(mean: number, cutoff: number, inStudentsFavour: boolean): boolean {
  return inStudentsFavour ? mean >= cutoff - EPSILON : mean > cutoff + EPSILON;
}

/** The period mark (2–5) a mean gives under a policy; null for a null mean (no marks). */
export function periodMarkFromMean(mean: number | null, policy: PeriodMarkPolicy): 2 | 3 | 4 | 5 | null {
  if (mean === null) return null;
  const { thresholds: t, inStudentsFavour: f } = policy;
  if (reaches(mean, t[5], f)) return 5;
  if (reaches(mean, t[4], f)) return 4;
  if (reaches(mean, t[3], f)) return 3;
  return 2;
}

/**
 * How many more marks of `value` (each of `weight`) lift the mark to `target`; 0 if it is there
 * already, null if such marks can never get there (e.g. «4»s towards «5» at a 4.5 cut-off).
 */
export function marksNeeded(
  marks: ReadonlyArray<WeightedMark>,
  value: 2 | 3 | 4 | 5,
  target: 3 | 4 | 5,
  policy: PeriodMarkPolicy,
  options: MeanOptions & { weight?: number } = {},
): number | null {
  const useWeights = options.useWeights ?? true;
  const w = useWeights ? (options.weight ?? 1) : 1;
  const cutoff = policy.thresholds[target];
  const current = meanMark(marks, options);
  const grade = periodMarkFromMean(current, policy);
  if (grade !== null && grade >= target) return 0;
  // Adding infinitely many marks of `value` only approaches `value` itself.
  if (!reaches(value, cutoff, policy.inStudentsFavour)) return null;
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    const v = normalizeMark(m.value);
    if (typeof v !== "number") continue;
    const mw = useWeights ? (m.weight ?? 1) : 1;
    if (!(mw > 0)) continue;
    sum += v * mw;
    weights += mw;
  }
  // (sum + value·w·k) / (weights + w·k) ≥ cutoff  ⇔  k ≥ (cutoff·weights − sum) / (w·(value − cutoff)).
  const estimate = (cutoff * weights - sum) / (w * (value - cutoff));
  let k = Math.max(1, Math.floor(estimate));
  // Step back then forward so the answer agrees exactly with periodMarkFromMean.
  while (
    k > 1 &&
    reaches((sum + value * w * (k - 1)) / (weights + w * (k - 1)), cutoff, policy.inStudentsFavour)
  )
    k--;
  while (!reaches((sum + value * w * k) / (weights + w * k), cutoff, policy.inStudentsFavour)) k++;
  return k;
}

export interface MarkForecast {
  /** The mean now, null without numeric marks. */
  mean: number | null;
  /** The period mark that mean gives now, null without marks. */
  mark: 2 | 3 | 4 | 5 | null;
  /** The next mark up, null when the mark is already «5» or there are no marks. */
  next: 3 | 4 | 5 | null;
  /** How many «5»s reach `next` (null when there is no next). */
  fivesNeeded: number | null;
  /** How many «4»s reach `next`; null when there is no next or «4»s cannot reach it. */
  foursNeeded: number | null;
}

/** Forecast for parents and teachers (000 §9.2, 002 §6): the mark now and what lifts it. */
export function forecastPeriodMark(
  marks: ReadonlyArray<WeightedMark>,
  policy: PeriodMarkPolicy,
  options: MeanOptions & { weight?: number } = {},
): MarkForecast {
  const mean = meanMark(marks, options);
  const mark = periodMarkFromMean(mean, policy);
  if (mark === null || mark === 5) return { mean, mark, next: null, fivesNeeded: null, foursNeeded: null };
  const next = (mark + 1) as 3 | 4 | 5;
  return {
    mean,
    mark,
    next,
    fivesNeeded: marksNeeded(marks, 5, next, policy, options),
    foursNeeded: marksNeeded(marks, 4, next, policy, options),
  };
}

/** The forecast as Russian sentences for a parent or teacher (the «reason» of 002 §6). */
export function describeForecast(f: MarkForecast): string {
  if (f.mean === null || f.mark === null) return reportMessages.forecast.noMarks;
  const parts = [reportMessages.forecast.current(formatNumber(f.mean, 2), f.mark)];
  if (f.next === null) parts.push(reportMessages.forecast.top);
  else {
    if (f.fivesNeeded !== null) parts.push(reportMessages.forecast.need(f.fivesNeeded, 5, f.next));
    parts.push(
      f.foursNeeded !== null
        ? reportMessages.forecast.need(f.foursNeeded, 4, f.next)
        : reportMessages.forecast.unreachable(4, f.next),
    );
  }
  return `${parts.join(". ")}.`;
}
