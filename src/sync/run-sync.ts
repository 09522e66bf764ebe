// One sync run of one source: every stream since its cursor, page by page, each page and its cursor in
// one transaction (a crash loses or doubles nothing). Each read declares its scope; deletions and
// last absences are proven only inside the scope a read covered in full.
import type { Connector, Page, ReadScope, RejectedRecord } from "../connectors/types.ts";
import { STREAMS, type StreamName, type StreamRecords } from "../model/records.ts";
import type { Db } from "../store/db.ts";
import { updateEnrollments } from "../store/enrollments.ts";
import { ENTITIES, recordKey } from "../store/entities.ts";
import { hasEarlierScopes, mergeScopes, saveReadScopes } from "../store/read-scopes.ts";
import {
  markMissingDeleted,
  type Observation,
  stampLastAbsent,
  writeRecords,
} from "../store/record-writer.ts";
import {
  acquireSourceLock,
  completeStream,
  finishRun,
  getStreamState,
  lastObservedAt,
  quarantine,
  releaseSourceLock,
  renewSourceLock,
  saveCursor,
  setAttendanceEvidence,
  startRun,
  upsertSchool,
} from "../store/sync-state.ts";
import { isPlatformFailure, platformAnswered, platformFailed } from "./outages.ts";
import { ReferenceIndex } from "./reference-index.ts";

export interface StreamCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  deleted: number;
}

export interface SyncSummary {
  runId: number;
  schoolId: string;
  source: string;
  mode: "full" | "incremental";
  observedAt: string;
  streams: Partial<Record<StreamName, StreamCounts>>;
  totals: StreamCounts;
  requests: number;
  retries: number;
}

export interface SyncOptions {
  /** Source id: the lock and cursors belong to it. */
  source: string;
  /** Ignore saved cursors: read every stream from the start, in full (no incremental shortcut of the connector). */
  full: boolean;
  streams?: StreamName[];
  onProgress?: (e: {
    stream: StreamName;
    read: number;
    done?: number;
    total?: number;
    finished?: boolean;
  }) => void;
  /** The sync's clock: when a live platform is observed (default: now). A replayed platform sets its own present. */
  now?: Date;
  /** Date window (`YYYY-MM-DD`, inclusive) to read; absent → the connector's default (the current school year). */
  from?: string;
  to?: string;
  /** The school this source synced last time: lets a failure before discovery still open an outage. */
  knownSchoolId?: string;
  /** Records committed together (pages are joined up to this many; default 5,000). */
  batchRecords?: number;
  /** Test hook: called after each commit of a stream's pages, with the stream's commit count. */
  afterCommit?: (stream: StreamName, commitNo: number) => void | Promise<void>;
}

export class SyncError extends Error {}

const emptyCounts = (): StreamCounts => ({
  read: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  quarantined: 0,
  deleted: 0,
});

export async function runSync(db: Db, connector: Connector, options: SyncOptions): Promise<SyncSummary> {
  let discovery: Awaited<ReturnType<Connector["discover"]>>;
  try {
    discovery = await connector.discover();
  } catch (err) {
    await connector.close?.().catch(() => {});
    if (options.knownSchoolId && isPlatformFailure(err)) {
      await platformFailed(db, options.knownSchoolId, options.source, (err as Error).message, options.now);
    }
    throw err;
  }
  const school = discovery.school;
  const observedAt = discovery.observedAt ? new Date(discovery.observedAt) : (options.now ?? new Date());
  const mode = options.full ? "full" : "incremental";

  const lockKey = `${options.source}@${school.id}`;
  if (!(await acquireSourceLock(db, lockKey))) {
    throw new SyncError(`a sync of source "${options.source}" for school ${school.id} is already running`);
  }
  let runId = 0;
  const summary: SyncSummary = {
    runId,
    schoolId: school.id,
    source: options.source,
    mode,
    observedAt: observedAt.toISOString(),
    streams: {},
    totals: emptyCounts(),
    requests: 0,
    retries: 0,
  };
  try {
    await upsertSchool(db, school);
    await setAttendanceEvidence(db, school.id, discovery.attendanceEvidence ?? "recorded");
    const last = await lastObservedAt(db, school.id);
    if (last && observedAt < last) {
      throw new SyncError(
        `this observation (${observedAt.toISOString()}) is older than what the store already has (${last.toISOString()}) for school ${school.id}`,
      );
    }
    runId = await startRun(db, { schoolId: school.id, source: options.source, mode, observedAt });
    summary.runId = runId;
    const refs = new ReferenceIndex(db, school.id);
    const wanted = STREAMS.filter(
      (s) => discovery.streams.includes(s) && (!options.streams || options.streams.includes(s)),
    );
    for (const stream of wanted) {
      const counts = await syncStream(db, connector, stream, {
        schoolId: school.id,
        timezone: school.timezone,
        runId,
        observedAt,
        full: options.full,
        source: options.source,
        lockKey,
        refs,
        options,
      });
      summary.streams[stream] = counts;
      for (const k of Object.keys(counts) as (keyof StreamCounts)[]) summary.totals[k] += counts[k];
    }
    await connector.close?.();
    Object.assign(summary, connector.stats());
    await finishRun(db, runId, "ok", summary);
    await platformAnswered(db, school.id, options.source, options.now);
    return summary;
  } catch (err) {
    await connector.close?.().catch(() => {});
    Object.assign(summary, connector.stats());
    if (runId) await finishRun(db, runId, "failed", summary, (err as Error).message).catch(() => {});
    if (isPlatformFailure(err))
      await platformFailed(db, school.id, options.source, (err as Error).message, options.now).catch(
        () => {},
      );
    throw err;
  } finally {
    await releaseSourceLock(db, lockKey).catch(() => {});
  }
}

interface StreamContext {
  schoolId: string;
  timezone: string;
  runId: number;
  observedAt: Date;
  full: boolean;
  source: string;
  lockKey: string;
  refs: ReferenceIndex;
  options: SyncOptions;
}

const DEFAULT_BATCH_RECORDS = 5_000;

interface Batch<S extends StreamName> {
  good: StreamRecords[S][];
  /** recordKey of each good record, computed once at admission. */
  keys: string[];
  rejected: RejectedRecord[];
  cursor: string | null;
  pages: number;
}

/** What the pages of one read said they covered. */
interface Coverage {
  scopes: ReadScope[];
  declared: boolean;
  full: boolean;
}

/** Takes a page into the batch: a key read twice in the run or naming an unknown record is rejected. */
function admit<S extends StreamName>(
  stream: S,
  page: Page<S>,
  batch: Batch<S>,
  seen: Set<string>,
  refs: ReferenceIndex,
  coverage: Coverage,
): void {
  if (page.scope) {
    coverage.declared = true;
    coverage.scopes.push(...page.scope);
  }
  if (page.full) coverage.full = true;
  const entity = ENTITIES[stream];
  batch.rejected.push(...page.rejected);
  for (const record of page.records) {
    const key = recordKey(entity, record);
    const problem: Pick<RejectedRecord, "field" | "reason"> | null = seen.has(key)
      ? { reason: "duplicate key: already read in this run" }
      : refs.check(stream, record);
    if (problem) {
      batch.rejected.push({ stream, origin: `${stream} key ${key}`, ...problem, raw: record });
      continue;
    }
    seen.add(key);
    batch.good.push(record);
    batch.keys.push(key);
  }
  batch.cursor = page.cursor;
  batch.pages++;
}

/** No row of this stream for the school, deleted or not: nothing can conflict with what this run reads. */
async function isFirstLoad(db: Db, table: string, schoolId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM ${table} WHERE school_id = $1 LIMIT 1`, [schoolId]);
  return rows.length === 0;
}

/**
 * A batch's commit does not wait for its WAL flush; the stream's closing commit does, and that makes
 * every batch before it durable too. Should the database server crash mid-stream, the last batches are
 * lost whole (records with their cursor), so the next run reads them again: nothing is lost or doubled,
 * and a later first sighting only weakens the evidence of time, never strengthens it.
 */
async function relaxCommitWait(tx: Db): Promise<void> {
  await tx.exec("SET LOCAL synchronous_commit = off");
}

async function syncStream<S extends StreamName>(
  db: Db,
  connector: Connector,
  stream: S,
  ctx: StreamContext,
): Promise<StreamCounts> {
  const entity = ENTITIES[stream];
  const state = await getStreamState(db, ctx.schoolId, stream);
  const obs: Observation = {
    schoolId: ctx.schoolId,
    syncRunId: ctx.runId,
    observedAt: ctx.observedAt,
    previousFullReadAt: null, // each record is dated by the reads whose scope held it (stampLastAbsent)
  };
  const counts = emptyCounts();
  const seen = new Set<string>();
  let commits = 0;
  // Only what a read covered, run to its end, proves absence: its pages name their scopes (a class × a
  // date window…). A connector that names none covers, from a null cursor, the requested window of the
  // whole stream; a read resumed from a cursor without scopes proves nothing absent.
  const cursor = ctx.full ? null : state.cursor;
  const coverage: Coverage = { scopes: [], declared: false, full: false };
  // Without an earlier read of the stream, nothing can have been seen absent: no dating pass is needed.
  const earlier = await hasEarlierScopes(db, ctx.schoolId, stream, ctx.observedAt);
  // A stream with no rows yet for this school is a first load: its records are inserted without a lookup.
  const likelyNew = await isFirstLoad(db, entity.table, ctx.schoolId);
  await ctx.refs.prepare(stream);
  const pages = connector
    .read(stream, {
      cursor,
      from: ctx.options.from,
      to: ctx.options.to,
      now: ctx.observedAt,
      full: ctx.full,
      lastReadAt: state.lastObservedAt,
    })
    [Symbol.asyncIterator]();
  const batchSize = ctx.options.batchRecords ?? DEFAULT_BATCH_RECORDS;
  let batch: Batch<S> = { good: [], keys: [], rejected: [], cursor: null, pages: 0 };

  // Pages are committed together up to batchRecords records: each commit holds its records and the
  // cursor after the last of them, so a crash still loses or doubles nothing.
  const commit = async (b: Batch<S>): Promise<void> => {
    await db.transaction(async (tx) => {
      await relaxCommitWait(tx);
      const w = await writeRecords(tx, entity, b.good, obs, { likelyNew, keys: b.keys });
      counts.inserted += w.inserted;
      counts.updated += w.updated;
      counts.unchanged += w.unchanged;
      if (earlier && w.inserted + w.updated > 0) {
        await stampLastAbsent(tx, entity, b.keys, obs);
      }
      await quarantine(tx, ctx.schoolId, ctx.runId, b.rejected);
      counts.quarantined += b.rejected.length;
      await saveCursor(tx, { schoolId: ctx.schoolId, stream, source: ctx.source, cursor: b.cursor });
    });
    for (const key of b.keys) ctx.refs.add(stream, key);
    commits++;
    await renewSourceLock(db, ctx.lockKey);
    await ctx.options.afterCommit?.(stream, commits);
  };
  // One commit runs while the next batch is read: commits stay one at a time and in order.
  let committing: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    const full = batch;
    batch = { good: [], keys: [], rejected: [], cursor: null, pages: 0 };
    await committing;
    committing = commit(full);
    committing.catch(() => {}); // awaited by the next flush or at the end of the stream
  };

  // The next page is fetched and parsed while the database writes the batch: the two overlap on two cores.
  try {
    let next = pages.next();
    for (;;) {
      const step = await next;
      if (step.done) break;
      const page = step.value;
      admit(stream, page, batch, seen, ctx.refs, coverage);
      counts.read += page.records.length + page.rejected.length;
      next = pages.next();
      // A failed read of the next page must not go unhandled while this batch is written; it is awaited above.
      next.catch(() => {});
      if (batch.good.length + batch.rejected.length >= batchSize) await flush();
      ctx.options.onProgress?.({
        stream,
        read: counts.read,
        done: page.progress?.done,
        total: page.progress?.total,
      });
    }
    if (batch.pages > 0) await flush();
  } catch (err) {
    await committing.catch(() => {}); // the run fails: let the commit in flight end before the lock goes
    throw err;
  }
  await committing;
  const window: ReadScope = {
    ...(ctx.options.from ? { from: ctx.options.from } : {}),
    ...(ctx.options.to ? { to: ctx.options.to } : {}),
  };
  const scopes = coverage.declared ? mergeScopes(coverage.scopes) : cursor === null ? [window] : [];
  // The full-read clock (what rules take as "a read that would have seen it") moves only for a read of
  // everything: the connector says so, or its one scope is unrestricted.
  const fullRead =
    cursor === null && (coverage.full || (scopes.length === 1 && Object.keys(scopes[0]).length === 0));
  await db.transaction(async (tx) => {
    if (scopes.length > 0) counts.deleted = await markMissingDeleted(tx, entity, seen, obs, scopes);
    await saveReadScopes(tx, {
      schoolId: ctx.schoolId,
      stream,
      runId: ctx.runId,
      observedAt: ctx.observedAt,
      scopes,
    });
    if (stream === "persons") {
      await updateEnrollments(tx, {
        schoolId: ctx.schoolId,
        timezone: ctx.timezone,
        observedAt: ctx.observedAt,
        firstObservation: state.lastObservedAt === null,
      });
    }
    await completeStream(tx, {
      schoolId: ctx.schoolId,
      stream,
      source: ctx.source,
      observedAt: ctx.observedAt,
      fullRead,
    });
  });
  // Fresh statistics after a bulk load: without them the planner picks a poor index for the next key lookups.
  if (counts.inserted + counts.updated > 1000) await db.exec(`ANALYZE ${entity.table}`);
  ctx.refs.invalidate(stream);
  ctx.options.onProgress?.({ stream, read: counts.read, finished: true });
  return counts;
}
