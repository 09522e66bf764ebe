// Date-range requests are split into windows of a week to a month (the API does not page).
import { DateTime } from "luxon";

export interface DateChunk {
  from: string;
  to: string;
}

/** Consecutive inclusive windows of at most `days` days covering [from, to]. */
export function dateChunks(from: string, to: string, days: number): DateChunk[] {
  if (!(days >= 1)) throw new RangeError("chunk size must be at least one day");
  const chunks: DateChunk[] = [];
  const first = DateTime.fromISO(from, { zone: "UTC" });
  const end = DateTime.fromISO(to, { zone: "UTC" });
  if (!first.isValid || !end.isValid) throw new RangeError(`bad date window ${from}..${to}`);
  for (let start: DateTime = first; start <= end; ) {
    const last: DateTime = DateTime.min(start.plus({ days: days - 1 }), end);
    chunks.push({ from: start.toISODate()!, to: last.toISODate()! });
    start = last.plus({ days: 1 });
  }
  return chunks;
}
