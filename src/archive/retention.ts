/**
 * Retention of archived journals: 5 years for journal copies, 25 for summary sheets (001 §6; 000 §6.5
 * sets 5 and 2 — the numbers are a school's policy, hence configurable). Periods are counted, as
 * Russian archival practice does, from 1 January of the year after the document was closed.
 */
import { z } from "zod";
import { ArchiveConfigError } from "./errors.ts";

export const documentKindSchema = z.enum(["journal", "summary"]);
export type DocumentKind = z.infer<typeof documentKindSchema>;

export const retentionPolicySchema = z.object({
  journalYears: z.number().int().positive().default(5),
  summaryYears: z.number().int().positive().default(25),
});
export type RetentionPolicy = z.input<typeof retentionPolicySchema>;

const calendarDate = z.iso.date();

function yearOf(date: string, what: string): number {
  if (!calendarDate.safeParse(date).success)
    throw new ArchiveConfigError(`${what} must be YYYY-MM-DD, got ${date}`);
  return Number(date.slice(0, 4));
}

/** Last day of retention (inclusive), YYYY-MM-DD. */
export function retentionUntil(kind: DocumentKind, closedOn: string, policy: RetentionPolicy = {}): string {
  const parsed = retentionPolicySchema.safeParse(policy);
  if (!parsed.success) throw new ArchiveConfigError(`retention policy: ${parsed.error.message}`);
  const years = kind === "journal" ? parsed.data.journalYears : parsed.data.summaryYears;
  return `${yearOf(closedOn, "closedOn") + years}-12-31`;
}

/** Entries whose retention has ended before `today` (YYYY-MM-DD): candidates for a disposal act, never deleted here. */
export function dueForDisposal<T extends { retentionUntil: string }>(
  entries: readonly T[],
  today: string,
): T[] {
  yearOf(today, "today");
  return entries.filter((entry) => {
    yearOf(entry.retentionUntil, "retentionUntil");
    return entry.retentionUntil < today;
  });
}
