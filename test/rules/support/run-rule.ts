// Runs one rule over a memory journal with the real context (calendar, outage shift) and returns
// what it reported.
import { SchoolCalendar } from "../../../src/calendar/index.ts";
import type { CalendarDay, School } from "../../../src/model/records.ts";
import { buildRuleContext } from "../../../src/rules/context.ts";
import type { Finding, Rule } from "../../../src/rules/types.ts";
import { type MemoryJournal, memoryData } from "./memory-data.ts";

export interface RuleRun {
  journal: MemoryJournal;
  asOf: string;
  params?: Record<string, unknown>;
  timezone?: string;
  workweek?: 5 | 6;
  overrides?: CalendarDay[];
  /** The preset's calendar setting (default: vacations are teachers' working time). */
  vacationIsWorkingTime?: boolean;
}

export async function runRule(rule: Rule, run: RuleRun): Promise<Finding[]> {
  const school: School = {
    id: "s1",
    name: "Школа № 1",
    timezone: run.timezone ?? "Europe/Moscow",
    workweek: run.workweek ?? 5,
  };
  const calendar = new SchoolCalendar({
    timezone: school.timezone,
    workweek: school.workweek,
    overrides: run.overrides ?? [],
    ...(run.vacationIsWorkingTime === undefined ? {} : { vacationIsWorkingTime: run.vacationIsWorkingTime }),
  });
  const findings: Finding[] = [];
  const ctx = buildRuleContext({
    school,
    calendar,
    asOf: new Date(run.asOf),
    params: rule.params.parse(run.params ?? {}),
    data: memoryData(run.journal),
    rule,
    sink: (f) => findings.push(f),
  });
  await rule.evaluate(ctx);
  return findings;
}
