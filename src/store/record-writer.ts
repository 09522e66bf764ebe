// Idempotent batch upsert of canonical records with time evidence and version history.
// An unchanged record costs one indexed read and no write, so a repeated sync writes 0 rows.
import type { ReadScope } from "../connectors/types.ts";
import type { StreamName, StreamRecords } from "../model/records.ts";
import { copyField, copyValue } from "./copy-text.ts";
import type { Db, SqlParam } from "./db.ts";
import { type Entity, type EntityShape, recordKey } from "./entities.ts";
import { INSIDE, placedRowsSql, scopeArrays } from "./read-scopes.ts";
import { type AnyRecord, normalizeRecord, recordHash, toParam } from "./record-codec.ts";

/** The observation a batch belongs to: which run saw it, when, and when the stream was last read in full. */
export interface Observation {
  schoolId: string;
  syncRunId: number;
  observedAt: Date;
  /**
   * A read before this one that held every record of the batch and did not see the new ones; null when
   * none did. The sync passes null and dates each record by its scope instead (stampLastAbsent).
   */
  previousFullReadAt: Date | null;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface Prepared {
  key: string;
  normalized: AnyRecord;
  hash: string;
}

const sqlCache = new Map<string, string>();

const UNIQUE_VIOLATION = "23505";

/** The insert of a first load: the upsert without its conflict clause (speculative inserts cost more). */
function insertSql(entity: EntityShape): string {
  const upsert = upsertSql(entity);
  return upsert.slice(0, upsert.indexOf("ON CONFLICT"));
}

function upsertSql(entity: EntityShape): string {
  const cached = sqlCache.get(entity.table);
  if (cached) return cached;
  const t = entity.table;
  const cols = entity.columns;
  // $1 school, $2 observedAt, $3 previousFullReadAt, $4 run, then one array per unnest column.
  const arrays = ["key", ...cols.map((c) => c.name), "hash"];
  const arrayTypes = ["text", ...cols.map((c) => (c.type === "text[]" ? "text" : c.type)), "text"];
  const unnest = arrays.map((_, i) => `$${i + 5}::${arrayTypes[i]}[]`).join(", ");
  const selectCols = cols.map((c) =>
    c.type === "text[]"
      ? `CASE WHEN v.${c.name} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v.${c.name}::jsonb)) END`
      : `v.${c.name}`,
  );
  const evidenceCols = entity.evidenceFields.flatMap((f) => [
    `${snake(f)}_first_seen_at`,
    `${snake(f)}_last_absent_at`,
  ]);
  const evidenceSelect = entity.evidenceFields.flatMap((f) => [
    `CASE WHEN v.${snake(f)} IS NOT NULL THEN $2::timestamptz END`,
    `CASE WHEN v.${snake(f)} IS NOT NULL THEN $3::timestamptz END`,
  ]);
  // A field typed in since the last observation is dated by this observation; one removed loses its dates.
  const evidenceUpdate = entity.evidenceFields.flatMap((f) => {
    const c = snake(f);
    return ["first_seen_at", "last_absent_at"].map(
      (e) =>
        `${c}_${e} = CASE WHEN excluded.${c} IS NULL THEN NULL WHEN ${t}.${c} IS NULL THEN excluded.${c}_${e} ELSE ${t}.${c}_${e} END`,
    );
  });
  const sql = `
INSERT INTO ${t} (school_id, key, ${cols.map((c) => c.name).join(", ")}, hash, first_seen_at, last_absent_at, changed_at, sync_run_id${evidenceCols.map((c) => `, ${c}`).join("")})
SELECT $1, v.key, ${selectCols.join(", ")}, v.hash, $2, $3, $2, $4${evidenceSelect.map((c) => `, ${c}`).join("")}
FROM unnest(${unnest}) AS v(${arrays.join(", ")})
ON CONFLICT (school_id, key) DO UPDATE SET
  ${[
    ...cols.map((c) => `${c.name} = excluded.${c.name}`),
    "hash = excluded.hash",
    "changed_at = excluded.changed_at",
    "deleted_at = NULL",
    "sync_run_id = excluded.sync_run_id",
    ...evidenceUpdate,
  ].join(",\n  ")}`;
  sqlCache.set(entity.table, sql);
  return sql;
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Writes one batch: new records are inserted with first-seen evidence, changed ones keep their old
 * state in record_versions, unchanged ones are left alone. Run it inside the page's transaction.
 */
export async function writeRecords<S extends StreamName>(
  tx: Db,
  entity: Entity<S>,
  records: StreamRecords[S][],
  obs: Observation,
  options: {
    /** The stream had no rows for the school when the run began (needs a transaction). */
    likelyNew?: boolean;
    /** recordKey of each record, when the caller has them already. */
    keys?: string[];
    /** First loads by COPY (default) or by a multi-row INSERT (tests compare the two). */
    firstLoad?: "copy" | "insert";
  } = {},
): Promise<WriteCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const keyOf = (r: StreamRecords[S], i: number): string => options.keys?.[i] ?? recordKey(entity, r);
  // A first load: a plain insert, no key lookup and no conflict check. Should a key exist after all
  // (another writer, or a key twice in the batch), the savepoint undoes the insert and the batch takes
  // the careful path below.
  if (options.likelyNew) {
    await tx.exec("SAVEPOINT first_load");
    try {
      if (options.firstLoad === "insert") {
        const rows = [...prepare(entity, records, keyOf).values()];
        await tx.query(insertSql(entity), upsertParams(entity, rows, obs));
      } else {
        await tx.copyFrom(copySql(entity), copyRows(entity, records, keyOf, obs));
      }
      await tx.exec("RELEASE SAVEPOINT first_load");
      return { inserted: records.length, updated: 0, unchanged: 0 };
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
      await tx.exec("ROLLBACK TO SAVEPOINT first_load");
    }
  }
  const byKey = prepare(entity, records, keyOf);
  const keys = [...byKey.keys()];

  // The database compares the hashes and answers only the new and the changed keys: a batch with no
  // change comes back empty (no row per unchanged record to ship and parse).
  const differing = await tx.query<{ key: string; known: boolean }>(
    `SELECT k.key, t.key IS NOT NULL AS known
     FROM unnest($2::text[], $3::text[]) AS k(key, hash)
     LEFT JOIN ${entity.table} t ON t.school_id = $1 AND t.key = k.key
     WHERE t.key IS NULL OR t.hash IS DISTINCT FROM k.hash OR t.deleted_at IS NOT NULL`,
    [obs.schoolId, keys, keys.map((k) => (byKey.get(k) as Prepared).hash)],
  );
  const toWrite: Prepared[] = [];
  const changedKeys: string[] = [];
  let inserted = 0;
  for (const d of differing) {
    toWrite.push(byKey.get(d.key) as Prepared);
    if (d.known) changedKeys.push(d.key);
    else inserted++;
  }
  const unchanged = byKey.size - differing.length;
  if (changedKeys.length > 0) {
    await tx.query(
      `INSERT INTO record_versions (school_id, entity, key, valid_from, valid_to, sync_run_id, data)
       SELECT school_id, $2, key, changed_at, COALESCE(deleted_at, $3::timestamptz), $4, to_jsonb(t)
       FROM ${entity.table} t WHERE school_id = $1 AND key = ANY($5::text[])`,
      [obs.schoolId, entity.stream, obs.observedAt, obs.syncRunId, changedKeys],
    );
  }
  if (toWrite.length > 0) await tx.query(upsertSql(entity), upsertParams(entity, toWrite, obs));
  return { inserted, updated: changedKeys.length, unchanged };
}

/** Normalised and hashed, one per key (the last record of a key wins). */
function prepare<S extends StreamName>(
  entity: Entity<S>,
  records: StreamRecords[S][],
  keyOf: (r: StreamRecords[S], i: number) => string,
): Map<string, Prepared> {
  const byKey = new Map<string, Prepared>();
  for (let i = 0; i < records.length; i++) {
    const normalized = normalizeRecord(entity, records[i]);
    const key = keyOf(records[i], i);
    byKey.set(key, { key, normalized, hash: recordHash(normalized) });
  }
  return byKey;
}

const copySqlCache = new Map<string, string>();

/** The COPY of a first load: the same columns and evidence the insert writes. */
function copySql(entity: EntityShape): string {
  let sql = copySqlCache.get(entity.table);
  if (!sql) {
    const evidence = entity.evidenceFields.flatMap((f) => [
      `${snake(f)}_first_seen_at`,
      `${snake(f)}_last_absent_at`,
    ]);
    const cols = ["school_id", "key", ...entity.columns.map((c) => c.name), "hash"];
    cols.push("first_seen_at", "last_absent_at", "changed_at", "sync_run_id", ...evidence);
    sql = `COPY ${entity.table} (${cols.join(", ")}) FROM STDIN`;
    copySqlCache.set(entity.table, sql);
  }
  return sql;
}

/** The batch as COPY text: one string built in one pass, no per-record row objects. */
function copyRows<S extends StreamName>(
  entity: Entity<S>,
  records: StreamRecords[S][],
  keyOf: (r: StreamRecords[S], i: number) => string,
  obs: Observation,
): string {
  const school = copyField(obs.schoolId);
  const seen = copyField(obs.observedAt.toISOString());
  const absent = copyField(obs.previousFullReadAt?.toISOString());
  const tail = `\t${seen}\t${absent}\t${seen}\t${copyField(obs.syncRunId)}`;
  const evidence = entity.evidenceFields;
  const parts: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const normalized = normalizeRecord(entity, records[i]);
    let line = `${school}\t${copyField(keyOf(records[i], i))}`;
    for (const c of entity.columns) line += `\t${copyValue(c.type, normalized[c.field])}`;
    line += `\t${copyField(recordHash(normalized))}${tail}`;
    for (const f of evidence) line += normalized[f] == null ? "\t\\N\t\\N" : `\t${seen}\t${absent}`;
    parts.push(line);
  }
  parts.push("");
  return parts.join("\n");
}

function upsertParams(entity: EntityShape, rows: Prepared[], obs: Observation): SqlParam[] {
  const params: SqlParam[] = [obs.schoolId, obs.observedAt, obs.previousFullReadAt, obs.syncRunId];
  params.push(rows.map((p) => p.key));
  for (const c of entity.columns) params.push(rows.map((p) => toParam(c, p.normalized[c.field])) as SqlParam);
  params.push(rows.map((p) => p.hash));
  return params;
}

/**
 * After a read: every live record of the stream inside a scope the read covered in full, that the read
 * did not see, is marked deleted. Records outside every scope are left alone (a one-month read says
 * nothing about the other months).
 */
export async function markMissingDeleted(
  tx: Db,
  entity: EntityShape,
  seenKeys: Set<string>,
  obs: Observation,
  scopes: ReadScope[] = [{}],
): Promise<number> {
  if (scopes.length === 0) return 0;
  const live = await tx.query<{ key: string }>(
    `SELECT v.key FROM (${placedRowsSql(entity, "AND t.deleted_at IS NULL")}) v
     WHERE EXISTS (SELECT 1 FROM unnest($2::date[], $3::date[], $4::text[], $5::text[]) AS s(date_from, date_to, class_id, subject_id)
                   WHERE ${INSIDE})`,
    [obs.schoolId, ...scopeArrays(scopes)],
  );
  const gone = live.map((r) => r.key).filter((k) => !seenKeys.has(k));
  for (let i = 0; i < gone.length; i += 5000) {
    await tx.query(
      `UPDATE ${entity.table} SET deleted_at = $2, sync_run_id = $3 WHERE school_id = $1 AND key = ANY($4::text[])`,
      [obs.schoolId, obs.observedAt, obs.syncRunId, gone.slice(i, i + 5000)],
    );
  }
  return gone.length;
}

/**
 * Dates what this observation saw first (a new record, or an evidence field typed in since) by the last
 * earlier read whose scope held the record: it was absent then. No such read, no last absence. Run it
 * in the batch's transaction, after writeRecords.
 */
export async function stampLastAbsent(
  tx: Db,
  entity: EntityShape,
  keys: string[],
  obs: Observation,
): Promise<void> {
  if (keys.length === 0) return;
  const fresh = ["", ...entity.evidenceFields.map((f) => `${snake(f)}_`)];
  const sets = fresh.map(
    (c) => `${c}last_absent_at = CASE WHEN u.${c}first_seen_at = $2 THEN a.at ELSE u.${c}last_absent_at END`,
  );
  await tx.query(
    `UPDATE ${entity.table} AS u SET ${sets.join(", ")}
     FROM (SELECT v.key, (SELECT max(s.observed_at) FROM read_scopes s
                          WHERE s.school_id = $1 AND s.stream = $3 AND s.observed_at < $2 AND ${INSIDE}) AS at
           FROM (${placedRowsSql(entity, "AND t.key = ANY($4::text[])")}) v) a
     WHERE u.school_id = $1 AND u.key = a.key AND (${fresh.map((c) => `u.${c}first_seen_at = $2`).join(" OR ")})`,
    [obs.schoolId, obs.observedAt, entity.stream, keys],
  );
}
