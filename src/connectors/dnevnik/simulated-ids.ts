// Deterministic int64 ids beyond 2^53 for canonical ids, as the Dnevnik simulator serves them.
// 19 digits in [10^18, 9·10^18): JSON number literals a double cannot hold exactly.
import { createHash } from "node:crypto";

export type SimEntity =
  | "school"
  | "user"
  | "person"
  | "class"
  | "subject"
  | "period"
  | "period-group"
  | "holiday"
  | "lesson"
  | "homework"
  | "work"
  | "work-type"
  | "mark"
  | "final-mark";

const BASE = 1_000_000_000_000_000_000n;
const SPAN = 8_000_000_000_000_000_000n;
/**
 * An int64 the simulator writes as a bare JSON number literal: `toJSON` leaves a marker that
 * toPlatformJson turns into the literal (no replacer callback: fast for 500k marks).
 */
export class PlatformInt {
  constructor(readonly str: string) {}
  toString(): string {
    return this.str;
  }
  toJSON(): string {
    return `\u0001${this.str}`;
  }
}

/** Both forms of a platform id: the number literal and its `_str` twin. */
export interface SimId {
  big: bigint;
  str: string;
  int: PlatformInt;
}

const caches = new Map<SimEntity, Map<string, SimId>>();

export function simulatedIdPair(entity: SimEntity, canonicalId: string): SimId {
  let cache = caches.get(entity);
  if (!cache) {
    cache = new Map();
    caches.set(entity, cache);
  }
  let id = cache.get(canonicalId);
  if (id === undefined) {
    const digest = createHash("sha256").update(`${entity}\u0000${canonicalId}`).digest();
    const big = BASE + (digest.readBigUInt64BE(0) % SPAN);
    const str = big.toString();
    id = { big, str, int: new PlatformInt(str) };
    cache.set(canonicalId, id);
  }
  return id;
}

export function simulatedBigId(entity: SimEntity, canonicalId: string): bigint {
  return simulatedIdPair(entity, canonicalId).big;
}

/** The platform id (as its `*_str` field writes it) the simulator gives a canonical id. */
export function simulatedId(entity: SimEntity, canonicalId: string): string {
  return simulatedIdPair(entity, canonicalId).str;
}
