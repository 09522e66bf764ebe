// The context every rule evaluates in: the school, its calendar (national calendar + the school's
// overrides, in its time zone), the check's moment, the rule's parameters, the journal, the outage
// shift of deadlines (001 §3.5) and the report callback.
import { SchoolCalendar } from "../../../../src/calendar/index.ts";
import type { CalendarDay, School } from "../../../../src/model/records.ts";
import type { Finding, OutageWindow, Rule, RuleContext, RuleData } from "../../../../src/rules/types.ts";
import type { Db } from "../../../../src/store/db.ts";

/** Luxon is too slow to ask per lesson: the calendar answers that rules repeat, memoised. */
export class MemoCalendar extends SchoolCalendar {
  readonly #memo = new Map<string, unknown>();

  #get<T>(key: string, make: () => T): T {
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const v = make();
    this.#memo.set(key, v);
    return v;
  }

  override isWorkingDay(date: string): boolean {
    return this.#get(`w|${date}`, () => super.isWorkingDay(date));
  }
  override at(date: string, time: string): Date {
    return new Date(this.#get(`a|${date}|${time}`, () => super.at(date, time)).getTime());
  }
  override endOfDay(date: string): Date {
    return new Date(this.#get(`e|${date}`, () => super.endOfDay(date)).getTime());
  }
  override startOfDay(date: string): Date {
    return new Date(this.#get(`s|${date}`, () => super.startOfDay(date)).getTime());
  }
  override addWorkingDays(date: string, n: number): string {
    return this.#get(`+|${date}|${n}`, () => super.addWorkingDays(date, n));
  }
}

export class SchoolNotFoundError extends Error {
  constructor(readonly schoolId: string) {
    super(`no school "${schoolId}" in the store`);
  }
}

/** The school and its calendar as the store holds them (schools + calendar_overrides). */
export async function loadSchool(
  db: Db,
  schoolId: string,
  options: { vacationIsWorkingTime?: boolean } = {},
): Promise<{ school: School; calendar: MemoCalendar }> {
  const rows = await db.query<{ id: string; name: string; timezone: string; workweek: number }>(
    "SELECT id, name, timezone, workweek FROM schools WHERE id = $1",
    [schoolId],
  );
  const r = rows[0];
  if (!r) throw new SchoolNotFoundError(schoolId);
  const school: School = { id: r.id, name: r.name, timezone: r.timezone, workweek: r.workweek === 6 ? 6 : 5 };
  const overrides = await db.query<{ day: string; kind: CalendarDay["kind"] }>(
    "SELECT day::text AS day, kind FROM calendar_overrides WHERE school_id = $1 AND deleted_at IS NULL AND day IS NOT NULL ORDER BY day",
    [schoolId],
  );
  const calendar = new MemoCalendar({
    timezone: school.timezone,
    workweek: school.workweek,
    overrides: overrides.map((o) => ({ date: String(o.day).slice(0, 10), kind: o.kind })),
    ...(options.vacationIsWorkingTime === undefined
      ? {}
      : { vacationIsWorkingTime: options.vacationIsWorkingTime }),
  });
  return { school, calendar };
}

/** A deadline no evidence can reach: the outage it falls in has not ended. */
export const NEVER = new Date(8.64e15);

/**
 * 001 §3.5 ("в течение рабочего дня с момента возобновления доступа"): a deadline inside an outage
 * moves to the end of the working day on which access resumed, or of the next working day when it
 * resumed on a day off. Repeated while the moved deadline falls in another outage.
 */
export function shiftDeadline(
  deadline: Date,
  outages: readonly OutageWindow[],
  calendar: SchoolCalendar,
): Date {
  let current = deadline;
  for (let guard = 0; guard < 20; guard++) {
    const t = current.getTime();
    const hit = outages.find((o) => Date.parse(o.from) <= t && (o.to === undefined || t <= Date.parse(o.to)));
    if (!hit) return current;
    if (hit.to === undefined) return NEVER;
    const resumed = calendar.dateOf(hit.to);
    const day = calendar.isWorkingDay(resumed) ? resumed : calendar.nextWorkingDay(resumed);
    const moved = calendar.endOfDay(day);
    if (moved.getTime() <= t) return current;
    current = moved;
  }
  return current;
}

export interface ContextInput<P> {
  school: School;
  calendar: SchoolCalendar;
  asOf: Date;
  params: P;
  data: RuleData;
  rule: Pick<Rule, "id" | "clause">;
  sink: (finding: Finding) => void;
}

export function buildRuleContext<P>(input: ContextInput<P>): RuleContext<P> {
  const shifted = new Map<number, Date>();
  let outages: Promise<OutageWindow[]> | undefined;
  return {
    school: input.school,
    calendar: input.calendar,
    asOf: input.asOf,
    params: input.params,
    data: input.data,
    async shiftForOutages(deadline: Date): Promise<Date> {
      const key = deadline.getTime();
      const known = shifted.get(key);
      if (known) return new Date(known.getTime());
      outages ??= input.data.outages();
      const moved = shiftDeadline(deadline, await outages, input.calendar);
      shifted.set(key, moved);
      return new Date(moved.getTime());
    },
    report(finding) {
      input.sink({ ruleId: input.rule.id, clause: input.rule.clause, ...finding });
    },
  };
}
