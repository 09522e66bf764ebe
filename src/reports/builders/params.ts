// Parameter schemas shared by the builders (what the CLI, the API and queue jobs pass), and the
// school's period-mark policy resolved from its regulation preset.
import { z } from "zod";
import { loadPreset } from "../../rules/presets.ts";
import type { Db } from "../../store/db.ts";
import { type PeriodMarkPolicy, periodMarkPolicySchema } from "../metrics.ts";
import type { LabelledValue } from "../model.ts";
import { type DateRange, loadPeriod, monthRange, ReportParamsError } from "../report-data.ts";
import { reportBuilderMessages as m, monthName, periodName } from "./messages.ru.ts";

const id = z.string().min(1).max(200);
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected YYYY-MM");
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

export const monthParamsSchema = z.object({ month: monthSchema });
export const periodParamsSchema = z.object({ periodId: id });
export const classPeriodParamsSchema = z.object({ classId: id, periodId: id });
export const periodOrMonthParamsSchema = z
  .object({ periodId: id.optional(), month: monthSchema.optional() })
  .refine((p) => (p.periodId === undefined) !== (p.month === undefined), "give either periodId or month");

/** The dates a period-or-month report covers, and how its header names them. */
export async function periodOrMonthRange(
  db: Db,
  schoolId: string,
  params: { periodId?: string; month?: string },
): Promise<{ range: DateRange; label: LabelledValue }> {
  if (params.periodId) {
    const period = await loadPeriod(db, schoolId, params.periodId);
    return {
      range: { from: period.start, to: period.end },
      label: { label: m.params.period, value: periodName(period) },
    };
  }
  const month = params.month ?? "";
  return { range: monthRange(month), label: { label: m.params.month, value: monthName(month) } };
}

/** The school's rounding act: explicit values win over the preset's period-mark.unjustified params. */
export const policyParamsSchema = z.object({
  /** Regulation preset to read the cut-offs from (default: "default"). */
  preset: z.string().min(1).optional(),
  /** "2.5/3.5/4.5": the least means for «3», «4», «5». */
  cutoffs: z
    .string()
    .regex(/^\d(\.\d+)?\/\d(\.\d+)?\/\d(\.\d+)?$/, "expected three cut-offs like 2.5/3.5/4.5")
    .optional(),
  rounding: z.enum(["in-favour", "strict"]).optional(),
});
export type PolicyParams = z.infer<typeof policyParamsSchema>;

const presetPolicySchema = z.object({
  cutoffs: z.tuple([z.number(), z.number(), z.number()]),
  rounding: z.enum(["in-favour", "strict"]),
});

export function resolvePolicy(p: PolicyParams): PeriodMarkPolicy {
  let cutoffs: [number, number, number] = [2.5, 3.5, 4.5];
  let rounding: "in-favour" | "strict" = "in-favour";
  const preset = loadPreset(p.preset ?? "default");
  const fromPreset = presetPolicySchema.safeParse(preset.rules["period-mark.unjustified"]?.params);
  if (fromPreset.success) ({ cutoffs, rounding } = fromPreset.data);
  if (p.cutoffs) cutoffs = p.cutoffs.split("/").map(Number) as [number, number, number];
  if (p.rounding) rounding = p.rounding;
  const parsed = periodMarkPolicySchema.safeParse({
    thresholds: { 3: cutoffs[0], 4: cutoffs[1], 5: cutoffs[2] },
    inStudentsFavour: rounding === "in-favour",
  });
  if (!parsed.success)
    throw new ReportParamsError(`cut-offs ${cutoffs.join("/")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The policy as parameter lines of a report. */
export function policyParameters(policy: PeriodMarkPolicy): { label: string; value: string }[] {
  const t = policy.thresholds;
  return [
    { label: m.params.cutoffs, value: `${t[3]} / ${t[4]} / ${t[5]}`.replaceAll(".", ",") },
    { label: m.params.rounding, value: policy.inStudentsFavour ? m.params.inFavour : m.params.notInFavour },
  ];
}
