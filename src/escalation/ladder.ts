// The escalation ladder of 001 §3.4: teacher → class teacher → deputy (УВР) → director, one step up
// after each configured number of working days a violation stays unresolved.
//
// Choice: levels are cumulative. Whoever was told at a lower level keeps being told: the teacher
// is the one who can fix the entry, and the class teacher is the one who, by §3.4, informs the
// deputy, so the deputy's level still includes the class teacher; the director's includes all.
import { dateSchema } from "../model/records.ts";

export const LEVEL = { teacher: 0, classTeacher: 1, deputy: 2, director: 3 } as const;
export type EscalationLevel = (typeof LEVEL)[keyof typeof LEVEL];
export const MAX_LEVEL: EscalationLevel = LEVEL.director;

/**
 * Level reached `today` by a violation opened on `openedOn`.
 * `steps[i]` = working days at level i before it goes up to i+1 (at most three steps are used).
 * `workingDaysBetween(a, b)` = working days after `a` up to and including `b` (0 when b ≤ a),
 * so a violation opened on Monday with steps [2] reaches level 1 on Wednesday of a plain week.
 */
export function escalationLevel(
  openedOn: string,
  today: string,
  steps: readonly number[],
  workingDaysBetween: (a: string, b: string) => number,
): EscalationLevel {
  dateSchema.parse(openedOn);
  dateSchema.parse(today);
  if (steps.length > MAX_LEVEL)
    throw new RangeError(`at most ${MAX_LEVEL} ladder steps, got ${steps.length}`);
  for (const step of steps) {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`ladder step must be a whole number ≥ 0`);
  }
  const elapsed = today <= openedOn ? 0 : workingDaysBetween(openedOn, today);
  let level = 0;
  let threshold = 0;
  for (const step of steps) {
    threshold += step;
    if (elapsed < threshold) break;
    level++;
  }
  return level as EscalationLevel;
}

export interface LadderPeople {
  /** The finding's responsible person, who must act (Finding.responsibleId): the first rung. */
  teacherId: string;
  /** The class teacher of the class the finding is about; absent for school-wide findings. */
  classTeacherId?: string;
  deputyIds: readonly string[];
  directorIds: readonly string[];
}

/** Person ids to tell at `level`, lowest rung first, each once (a class teacher may teach the lesson). */
export function recipientsFor(level: number, people: LadderPeople): string[] {
  if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) {
    throw new RangeError(`escalation level must be 0–${MAX_LEVEL}, got ${level}`);
  }
  const ids: string[] = [people.teacherId];
  if (level >= LEVEL.classTeacher && people.classTeacherId !== undefined) ids.push(people.classTeacherId);
  if (level >= LEVEL.deputy) ids.push(...people.deputyIds);
  if (level >= LEVEL.director) ids.push(...people.directorIds);
  return [...new Set(ids)];
}
