// Canonical record ⇄ table row. Records are normalised before hashing so that an export re-imported
// (instants written back in UTC, marks as strings) hashes the same and writes nothing.
import { hash } from "node:crypto";
import type { StreamName, StreamRecords } from "../model/records.ts";
import type { Column, Entity } from "./entities.ts";

export type AnyRecord = Record<string, unknown>;

/** Same record, same bytes: instants in UTC ISO, numbers of marks as text, absent fields dropped. */
export function normalizeRecord<S extends StreamName>(
  entity: Entity<S>,
  record: StreamRecords[S],
): AnyRecord {
  const src = record as unknown as AnyRecord;
  const out: AnyRecord = {};
  for (const c of entity.columns) {
    const v = src[c.field];
    if (v === undefined || v === null) continue;
    out[c.field] = normalizeValue(c, v);
  }
  return out;
}

function normalizeValue(c: Column, v: unknown): unknown {
  switch (c.type) {
    case "timestamptz":
      return new Date(String(v)).toISOString();
    case "text":
      return String(v);
    case "numeric":
    case "int":
      return Number(v);
    default:
      return v;
  }
}

export function recordHash(normalized: AnyRecord): string {
  // The one-shot hash: no Hash object per record (a sync hashes hundreds of thousands).
  return hash("sha1", JSON.stringify(normalized), "base64url");
}

/** One column's value as an SQL parameter for unnest(); text[] travels as JSON text. */
export function toParam(c: Column, v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (c.type === "text[]") return JSON.stringify(v);
  if (c.type === "int" || c.type === "numeric") return Number(v);
  return String(v);
}

/** A table row (from pg, PGlite or a to_jsonb() version) back to the canonical record. */
export function rowToRecord<S extends StreamName>(entity: Entity<S>, row: AnyRecord): StreamRecords[S] {
  const out: AnyRecord = {};
  for (const c of entity.columns) {
    const v = row[c.name];
    if (v === undefined || v === null) continue;
    switch (c.type) {
      case "timestamptz":
        out[c.field] = (v instanceof Date ? v : new Date(String(v))).toISOString();
        break;
      case "int":
      case "numeric":
        out[c.field] = Number(v);
        break;
      case "date":
        out[c.field] = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
        break;
      default:
        out[c.field] = v;
    }
  }
  return out as unknown as StreamRecords[S];
}
