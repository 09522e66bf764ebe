// Reading canonical records back: the live journal now, or the journal as it looked at time T.
import type { StreamName, StreamRecords } from "../model/records.ts";
import type { Db } from "./db.ts";
import { ENTITIES } from "./entities.ts";
import { type AnyRecord, rowToRecord } from "./record-codec.ts";

/** Live (not deleted) records of a stream in key order, page by page, in bounded memory. */
export async function* readLiveRecords<S extends StreamName>(
  db: Db,
  schoolId: string,
  stream: S,
  pageSize = 10_000,
): AsyncGenerator<StreamRecords[S][]> {
  const entity = ENTITIES[stream];
  let after = "";
  for (;;) {
    const rows = await db.query<AnyRecord>(
      `SELECT * FROM ${entity.table} WHERE school_id = $1 AND deleted_at IS NULL AND key > $2 ORDER BY key LIMIT $3`,
      [schoolId, after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => rowToRecord(entity, r));
    after = String(rows[rows.length - 1].key);
    if (rows.length < pageSize) return;
  }
}

/**
 * The records of a stream as the journal showed them at `at`: the current state where it was already
 * current then, else the superseded version that was valid then. Records first seen later are absent.
 */
export async function recordsAt<S extends StreamName>(
  db: Db,
  schoolId: string,
  stream: S,
  at: Date,
): Promise<StreamRecords[S][]> {
  const entity = ENTITIES[stream];
  const current = await db.query<AnyRecord>(
    `SELECT * FROM ${entity.table}
     WHERE school_id = $1 AND changed_at <= $2 AND (deleted_at IS NULL OR deleted_at > $2) ORDER BY key`,
    [schoolId, at],
  );
  const past = await db.query<{ data: AnyRecord }>(
    `SELECT data FROM record_versions
     WHERE school_id = $1 AND entity = $2 AND valid_from <= $3 AND valid_to > $3 ORDER BY key`,
    [schoolId, stream, at],
  );
  return [...current, ...past.map((p) => p.data)]
    .sort((a, b) => String(a.key).localeCompare(String(b.key)))
    .map((r) => rowToRecord(entity, r));
}

export interface EvidenceOfTime {
  recordedAt: string | null;
  firstSeenAt: string;
  lastAbsentAt: string | null;
  deletedAt: string | null;
}

/** What the store knows of when a record (or one evidence field of it, e.g. a lesson's topic) was entered. */
export async function evidenceOf(
  db: Db,
  schoolId: string,
  stream: StreamName,
  key: string,
  field?: string,
): Promise<EvidenceOfTime | null> {
  const entity = ENTITIES[stream];
  const prefix = field ? `${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_` : "";
  if (field && !entity.evidenceFields.includes(field))
    throw new Error(`${stream}.${field} carries no evidence of time`);
  const recordedCol = entity.columns.find((c) => c.field === (field ? `${field}RecordedAt` : "recordedAt"));
  const rows = await db.query<{ rec: Date | null; fs: Date | null; la: Date | null; del: Date | null }>(
    `SELECT ${recordedCol ? recordedCol.name : "NULL::timestamptz"} AS rec, ${prefix}first_seen_at AS fs,
            ${prefix}last_absent_at AS la, deleted_at AS del
     FROM ${entity.table} WHERE school_id = $1 AND key = $2`,
    [schoolId, key],
  );
  const r = rows[0];
  if (!r?.fs) return null;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    recordedAt: iso(r.rec),
    firstSeenAt: r.fs.toISOString(),
    lastAbsentAt: iso(r.la),
    deletedAt: iso(r.del),
  };
}
