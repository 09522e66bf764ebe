// Evidence of time (DESIGN.md "Sync and evidence of time"): given a deadline and what the store knows
// of an entry, is it on time, proven late, proven missing, or unknown? Unknown never yields a finding.
import type { Evidence } from "./types.ts";

/** What the store knows of one entry (a topic, a mark, an attendance record…). */
export interface EntryEvidence {
  /** The entry is in the journal now. */
  present: boolean;
  /** The platform's own time of entry, when it gives one. */
  recordedAt?: string;
  /** The first observation that saw the entry. */
  firstSeenAt?: string;
  /** The last full read that did not see it (absent = no proof of when it appeared). */
  lastAbsentAt?: string;
  /**
   * The platform's day of entry when it gives only the day (`Mark.recordedOn`), as the instants that
   * bound it in the school's zone: the entry was made at or after `from` and before `to`.
   */
  recordedOn?: { date: string; from: string; to: string };
}

export type Verdict =
  | { status: "on-time" }
  | { status: "late"; evidence: Evidence }
  | { status: "missing"; evidence: Evidence }
  | { status: "unknown" };

const ON_TIME: Verdict = { status: "on-time" };
const UNKNOWN: Verdict = { status: "unknown" };

/**
 * Judges one entry against its deadline as of `asOf`; `lastFullReadAt` is the stream's last full read
 * (a read that would have seen the entry had it been there). Nothing known after `asOf` is used.
 */
export function judgeEntry(
  deadline: Date,
  entry: EntryEvidence,
  lastFullReadAt: string | null,
  asOf: Date,
): Verdict {
  const d = deadline.getTime();
  const now = asOf.getTime();
  if (!(d < now)) return UNKNOWN; // not due yet
  const recorded = entry.recordedAt ? Date.parse(entry.recordedAt) : undefined;
  const seen = entry.firstSeenAt ? Date.parse(entry.firstSeenAt) : undefined;
  const presentAsOf =
    entry.present && (recorded !== undefined ? recorded <= now : seen !== undefined && seen <= now);

  if (presentAsOf) {
    if (recorded !== undefined) {
      return recorded > d
        ? { status: "late", evidence: { kind: "platform-timestamp", recordedAt: entry.recordedAt! } }
        : ON_TIME;
    }
    if (seen !== undefined && seen <= d) return ON_TIME;
    const day = entry.recordedOn;
    // A sync that saw the entry before its day contradicts the day (an edit re-dated it): not used.
    const dayFrom =
      day && !(seen !== undefined && seen < Date.parse(day.from)) ? Date.parse(day.from) : undefined;
    if (dayFrom !== undefined && day) {
      // Entered before the day ended: on time when the whole day is within the deadline.
      if (Date.parse(day.to) - 1 <= d) return ON_TIME;
      // Entered no earlier than the day began: late only when the day itself is past the deadline.
      if (dayFrom > d && seen !== undefined)
        return {
          status: "late",
          evidence: { kind: "platform-date", recordedOn: day.date, firstSeenAt: entry.firstSeenAt! },
        };
    }
    const absent = entry.lastAbsentAt ? Date.parse(entry.lastAbsentAt) : undefined;
    if (absent !== undefined && absent > d && seen !== undefined) {
      return {
        status: "late",
        evidence: {
          kind: "observed-late",
          lastAbsentAt: entry.lastAbsentAt!,
          firstSeenAt: entry.firstSeenAt!,
        },
      };
    }
    return UNKNOWN;
  }

  // Absent as of asOf: proven only by a read after the deadline (and not after asOf) that lacked it.
  const proofs: number[] = [];
  if (entry.lastAbsentAt) proofs.push(Date.parse(entry.lastAbsentAt));
  if (lastFullReadAt) {
    const read = Date.parse(lastFullReadAt);
    const sawIt =
      entry.present && seen !== undefined && seen <= read && (recorded === undefined || recorded <= read);
    if (!sawIt) proofs.push(read);
  }
  const proof = proofs.filter((t) => t > d && t <= now).sort((a, b) => b - a)[0];
  if (proof === undefined) return UNKNOWN;
  return { status: "missing", evidence: { kind: "missing", observedAt: new Date(proof).toISOString() } };
}

/** When an entry appeared, as best the store knows: the platform time, else the first observation. */
export function enteredAt(entry: EntryEvidence): string | undefined {
  return entry.recordedAt ?? entry.firstSeenAt;
}
