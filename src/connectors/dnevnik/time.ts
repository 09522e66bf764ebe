// Dnevnik writes school-local wall time without an offset (sometimes with one; sources conflict).
// We read naive values in the school's IANA zone and emit ISO 8601 with the offset.
// Hot paths (hundreds of thousands of entries per sync) avoid luxon: zone offsets are cached per
// UTC hour, which is exact because zones change offset on whole hours.
import { DateTime } from "luxon";

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;
const HOUR = 3_600_000;

const offsets = new Map<string, Map<number, number>>();

/** The zone's UTC offset in minutes at an instant (cached per UTC hour). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  let byHour = offsets.get(zone);
  if (!byHour) {
    byHour = new Map();
    offsets.set(zone, byHour);
  }
  const hour = Math.floor(utcMs / HOUR);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * HOUR, { zone }).offset;
    byHour.set(hour, offset);
  }
  return offset;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

interface NaiveParts {
  date: string;
  /** Wall-clock milliseconds as if the wall time were UTC. */
  wallMs: number;
  /** `YYYY-MM-DDTHH:mm:ss[.fff]` with trailing zero milliseconds dropped. */
  text: string;
}

function parseNaive(value: string): NaiveParts | null {
  const m = NAIVE.exec(value);
  if (!m) return null;
  const [y, mo, d, h = "00", mi = "00", s = "00"] = m.slice(1, 7);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(wallMs);
  if (
    Number.isNaN(wallMs) ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  ) {
    return null;
  }
  const date = `${y}-${mo}-${d}`;
  const text = `${date}T${h}:${mi}:${s}${ms ? `.${String(ms).padStart(3, "0")}` : ""}`;
  return { date, wallMs, text };
}

/** An instant with offset from a platform date-time; null when unreadable. */
export function platformInstant(value: string, zone: string): string | null {
  if (HAS_OFFSET.test(value)) {
    const dt = DateTime.fromISO(value.replace(" ", "T"), { setZone: true });
    return dt.isValid ? dt.toISO({ suppressMilliseconds: true }) : null;
  }
  const naive = parseNaive(value);
  if (!naive) return null;
  // The offset at the wall time read as UTC, corrected once (exact except inside a DST gap).
  let offset = zoneOffsetMinutes(zone, naive.wallMs);
  const corrected = zoneOffsetMinutes(zone, naive.wallMs - offset * 60_000);
  if (corrected !== offset) offset = corrected;
  return `${naive.text}${formatOffset(offset)}`;
}

/** The school-local calendar date of a platform date or date-time; null when unreadable. */
export function platformDate(value: string, zone: string): string | null {
  if (HAS_OFFSET.test(value)) {
    const dt = DateTime.fromISO(value.replace(" ", "T"), { setZone: true });
    return dt.isValid ? dt.setZone(zone).toISODate() : null;
  }
  return parseNaive(value)?.date ?? null;
}

/** School-local naive date-time `YYYY-MM-DDTHH:mm:ss` of an instant (what the platform writes). */
export function naiveLocal(instant: string, zone: string): string {
  const utc = Date.parse(instant);
  return new Date(utc + zoneOffsetMinutes(zone, utc) * 60_000).toISOString().slice(0, 19);
}

/** The same with fractional seconds (`…ss.fff`), as the platform writes entry times (Mark.date, createdDate). */
export function naiveLocalPrecise(instant: string, zone: string): string {
  const utc = Date.parse(instant);
  return new Date(utc + zoneOffsetMinutes(zone, utc) * 60_000).toISOString().slice(0, 23);
}

/** The UTC instant (`…Z`) of a school-local wall time on a date. */
export function utcOfLocal(date: string, clock: string, zone: string): string {
  const dt = DateTime.fromISO(`${date}T${clock}`, { zone });
  return dt.toUTC().toISO({ suppressMilliseconds: true }) ?? `${date}T${clock}`;
}

// Whole-hour offsets of Russia's zones (none observes DST since 2014).
const RUSSIAN_ZONES: Record<number, string> = {
  2: "Europe/Kaliningrad",
  3: "Europe/Moscow",
  4: "Europe/Samara",
  5: "Asia/Yekaterinburg",
  6: "Asia/Omsk",
  7: "Asia/Krasnoyarsk",
  8: "Asia/Irkutsk",
  9: "Asia/Yakutsk",
  10: "Asia/Vladivostok",
  11: "Asia/Magadan",
  12: "Asia/Kamchatka",
};

/**
 * An IANA zone for the platform's `School.timeZone` (hours from UTC, unit unverified). Several
 * zones share an offset (Novosibirsk and Krasnoyarsk are both +7), so a configured zone wins.
 */
export function zoneFromOffsetHours(hours: number): string | null {
  if (!Number.isInteger(hours) || hours < -12 || hours > 14) return null;
  if (RUSSIAN_ZONES[hours]) return RUSSIAN_ZONES[hours];
  if (hours === 0) return "Etc/UTC";
  // Etc/GMT zones have the POSIX sign: UTC+5 is Etc/GMT-5.
  return `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}`;
}

/** The current whole-hour offset of a zone (what the simulator writes as `timeZone`). */
export function offsetHoursOf(zone: string): number {
  return Math.round(DateTime.now().setZone(zone).offset / 60);
}
