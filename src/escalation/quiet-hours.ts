// When a message may go out: only inside the day window of a working day, in the school's time zone
// (no messages at night, at weekends or on holidays). The calendar decides what a working day is.
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { clockSchema } from "../model/records.ts";

export const deliveryWindowSchema = z
  .object({
    /** IANA zone of the school, e.g. `Asia/Yekaterinburg`. */
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), "unknown IANA time zone"),
    /** Local start of the window, inclusive. */
    from: clockSchema.default("08:00"),
    /** Local end of the window, exclusive: at `to` sharp the window is closed. */
    to: clockSchema.default("20:00"),
  })
  .refine((w) => w.from < w.to, { message: "window start must be before its end", path: ["to"] });
export type DeliveryWindowConfig = z.input<typeof deliveryWindowSchema>;

export interface DeliveryWindow {
  timezone: string;
  from: string;
  to: string;
  /** `YYYY-MM-DD` (school-local) → whether it is a working day; e.g. `calendar.isWorkingDay.bind(calendar)`. */
  isWorkingDay(date: string): boolean;
}

/** Longest run of days off we will look across (summer holidays are not working days for staff either). */
const MAX_DAYS_AHEAD = 400;

/** `now` itself when a message may go now, else the start of the next allowed window. */
export function nextDeliveryTime(now: Date, window: DeliveryWindow): Date {
  const { timezone, from, to } = deliveryWindowSchema.parse({
    timezone: window.timezone,
    from: window.from,
    to: window.to,
  });
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const clock = local.toFormat("HH:mm:ss.SSS");
  const today = local.toISODate()!;
  if (window.isWorkingDay(today)) {
    if (clock >= `${from}:00.000` && clock < `${to}:00.000`) return now;
    if (clock < `${from}:00.000`) return at(local, from);
  }
  let day = local.startOf("day");
  for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
    day = day.plus({ days: 1 });
    if (window.isWorkingDay(day.toISODate()!)) return at(day, from);
  }
  throw new RangeError(`no working day within ${MAX_DAYS_AHEAD} days after ${today}`);
}

/** The instant of local clock time `hhmm` on the local day of `day`. */
function at(day: DateTime, hhmm: string): Date {
  const [hour, minute] = hhmm.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}
