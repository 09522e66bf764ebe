// The rules engine: evaluates a school's preset over its live journal (checkSchool) and keeps the
// violations in step with the findings (runCheck): one row per rule + entity fingerprint, opened,
// escalated up the ladder, resolved when the data shows the entry, waived by the deputy; history in
// violation_events. An incremental check re-evaluates only the class-days that changed or whose
// deadlines may have passed since the last check (for rules that allow it).
import { createHash } from "node:crypto";
import { addDays } from "../calendar/index.ts";
import { escalationLevel } from "../escalation/ladder.ts";
import type { Db } from "../store/db.ts";
import { buildRuleContext, loadSchool, type MemoCalendar } from "./context.ts";
import { loadPreset, type Preset } from "./presets.ts";
import { getRule, RULES } from "./registry.ts";
import { type LessonScope, StoreRuleData } from "./rule-data.ts";
import type { Finding, FindingEntity, Rule } from "./types.ts";

export interface CheckOptions {
  /** The moment the check is made as of (default: now). */
  asOf?: Date;
  /** A loaded preset, or its number/alias/path (default: "default", i.e. 001). */
  preset?: Preset | string;
  /** Only these rule ids (default: every rule the preset enables). */
  rules?: string[];
  /** Only findings about this class. */
  classId?: string;
}

export interface RunCheckOptions extends CheckOptions {
  /** Re-evaluate only what changed since the last check (full when there is none). */
  incremental?: boolean;
}

export interface RuleFailure {
  ruleId: string;
  error: string;
}

export class RuleFailedError extends Error {
  constructor(readonly failures: RuleFailure[]) {
    super(`rules failed: ${failures.map((f) => `${f.ruleId}: ${f.error}`).join("; ")}`);
  }
}

/** The violation's identity: sha256 of the rule id and the entity key. */
export function fingerprint(ruleId: string, entityKey: string): string {
  return createHash("sha256").update(`${ruleId}\u0000${entityKey}`).digest("hex");
}

interface Evaluation {
  preset: Preset;
  calendar: MemoCalendar;
  findings: Finding[];
  failures: RuleFailure[];
  /** Rules evaluated and the data each saw (scoped data for an incremental rule). */
  evaluated: { rule: Rule; data: StoreRuleData }[];
  full: StoreRuleData;
}

function selectRules(preset: Preset, only?: string[]): Rule[] {
  if (only && only.length > 0) return only.map((id) => getRule(id));
  return RULES.filter((r) => preset.rules[r.id]?.enabled);
}

async function evaluate(
  db: Db,
  schoolId: string,
  opts: CheckOptions,
  scope?: LessonScope,
): Promise<Evaluation> {
  const preset = typeof opts.preset === "object" ? opts.preset : loadPreset(opts.preset ?? "default");
  const asOf = opts.asOf ?? new Date();
  const { school, calendar } = await loadSchool(db, schoolId, preset.calendar);
  const full = new StoreRuleData(db, schoolId);
  const scoped = scope ? full.scoped(scope) : undefined;
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const evaluated: Evaluation["evaluated"] = [];
  const seen = new Set<string>();
  for (const rule of selectRules(preset, opts.rules)) {
    const data = scoped && rule.incremental === "lesson-days" ? scoped : full;
    const params = preset.rules[rule.id]?.params ?? rule.params.parse({});
    const sink = (f: Finding) => {
      const k = `${f.ruleId}\u0000${f.entity.key}`;
      if (seen.has(k)) return;
      seen.add(k);
      findings.push(f);
    };
    try {
      await rule.evaluate(buildRuleContext({ school, calendar, asOf, params, data, rule, sink }));
      evaluated.push({ rule, data });
    } catch (err) {
      failures.push({ ruleId: rule.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  let kept = findings;
  if (opts.classId) {
    const classOf = await classResolver(full);
    kept = findings.filter((f) => classOf(f.entity) === opts.classId);
  }
  return { preset, calendar, findings: kept, failures, evaluated, full };
}

/** The class a finding is about, from its entity or what it names (lesson, work, student, mark). */
async function classResolver(data: StoreRuleData): Promise<(e: FindingEntity) => string | undefined> {
  const [lessons, works, persons, marks] = await Promise.all([
    data.lessons(),
    data.works(),
    data.persons(),
    data.marks(),
  ]);
  const lessonClass = new Map(lessons.map((l) => [l.id, l.classId]));
  const workClass = new Map(works.map((w) => [w.id, w.classId]));
  const studentClass = new Map(persons.filter((p) => p.classId).map((p) => [p.id, p.classId!]));
  const markStudent = new Map(marks.map((m) => [m.id, m.studentId]));
  return (e) =>
    e.classId ??
    (e.lessonId ? lessonClass.get(e.lessonId) : undefined) ??
    (e.workId ? workClass.get(e.workId) : undefined) ??
    (e.studentId ? studentClass.get(e.studentId) : undefined) ??
    (e.markId ? studentClass.get(markStudent.get(e.markId) ?? "") : undefined);
}

/** Every finding of the school's preset as of `asOf`; nothing is written. */
export async function checkSchool(db: Db, schoolId: string, opts: CheckOptions = {}): Promise<Finding[]> {
  const ev = await evaluate(db, schoolId, opts);
  if (ev.failures.length > 0) throw new RuleFailedError(ev.failures);
  return ev.findings;
}

export interface RunCheckResult {
  checkId: number;
  asOf: string;
  preset: string;
  /** False when asked for but there was no earlier check to start from. */
  incremental: boolean;
  new: number;
  stillOpen: number;
  resolved: number;
  reopened: number;
  escalated: number;
  findings: Finding[];
  failures: RuleFailure[];
}

interface ExistingViolation {
  id: string;
  fingerprint: string;
  rule_id: string;
  status: "open" | "resolved" | "waived";
  level: number;
  entity: FindingEntity;
  resolution_kind: string | null;
  deadline: Date | string;
  missing_observed_at: string | null;
}

/** When the finding stopped needing action, or null while it stands (see Finding.settledAt). */
export function settledAt(f: Finding): string | null {
  if (f.settledAt !== undefined) return f.settledAt;
  if (f.evidence.kind === "platform-timestamp") return f.evidence.recordedAt;
  if (f.evidence.kind === "observed-late" || f.evidence.kind === "platform-date")
    return f.evidence.firstSeenAt;
  return null;
}

async function incrementalScope(
  db: Db,
  schoolId: string,
  presetId: string,
  calendar: MemoCalendar,
  full: StoreRuleData,
  ruleIds: string[],
): Promise<LessonScope | undefined> {
  const prev = await db.query<{
    preset: string;
    as_of: Date;
    observed_through: Date | null;
    full_read_through: Date | null;
  }>(
    `SELECT preset, as_of, observed_through, full_read_through FROM rule_checks
      WHERE school_id = $1 AND finished_at IS NOT NULL AND class_id IS NULL AND rules @> $2::text[]
      ORDER BY id DESC LIMIT 1`,
    [schoolId, ruleIds],
  );
  const p = prev[0];
  if (!p || p.preset !== presetId || !p.observed_through) return undefined;
  // Deadlines that may have passed (or become provable) since: from the earlier of the last check's
  // moment and its last full read, a day back; and back to any outage still shifting deadlines then.
  const base = Math.min(new Date(p.as_of).getTime(), new Date(p.full_read_through ?? p.as_of).getTime());
  let fromDate = addDays(calendar.dateOf(new Date(base)), -1);
  const horizon = base - 31 * 86_400_000;
  for (const o of await full.outages()) {
    if (o.to === undefined || Date.parse(o.to) >= horizon) {
      const d = calendar.dateOf(o.from);
      if (d < fromDate) fromDate = d;
    }
  }
  return { since: new Date(p.observed_through), fromDate };
}

/** Checks and persists: new findings open violations, gone or settled ones resolve, waived stay waived. */
export async function runCheck(
  db: Db,
  schoolId: string,
  opts: RunCheckOptions = {},
): Promise<RunCheckResult> {
  const asOf = opts.asOf ?? new Date();
  const preset = typeof opts.preset === "object" ? opts.preset : loadPreset(opts.preset ?? "default");
  let scope: LessonScope | undefined;
  if (opts.incremental) {
    const { calendar } = await loadSchool(db, schoolId, preset.calendar);
    // The base is the last check that evaluated every rule this one narrows (a --rule check may not have).
    const narrowed = selectRules(preset, opts.rules)
      .filter((r) => r.incremental === "lesson-days")
      .map((r) => r.id);
    scope = await incrementalScope(
      db,
      schoolId,
      preset.id,
      calendar,
      new StoreRuleData(db, schoolId),
      narrowed,
    );
  }
  const ev = await evaluate(db, schoolId, { ...opts, asOf, preset }, scope);
  const cal = ev.calendar;
  const asOfIso = asOf.toISOString();
  const today = cal.dateOf(asOf);
  const levelMemo = new Map<string, number>();
  const levelOf = (deadline: string) => {
    let lv = levelMemo.get(deadline);
    if (lv === undefined) {
      const due = cal.dateOf(deadline);
      lv = escalationLevel(due, today, preset.escalation.steps, (a, b) => cal.workingDaysBetween(a, b));
      levelMemo.set(deadline, lv);
    }
    return lv;
  };

  const evaluatedIds = ev.evaluated.map((e) => e.rule.id);
  // Scope of each evaluated rule for resolving: everything, or the lessons/marks an incremental rule saw.
  const inScope = new Map<string, (e: FindingEntity) => boolean>();
  const classOf = opts.classId ? await classResolver(ev.full) : undefined;
  for (const { rule, data } of ev.evaluated) {
    let test: (e: FindingEntity) => boolean = () => true;
    if (data.scope) {
      const [lessons, marks, removed] = await Promise.all([
        data.lessons(),
        data.marks(),
        data.removedSince(),
      ]);
      const lessonIds = new Set([...lessons.map((l) => l.id), ...removed.lessonIds]);
      const markIds = new Set([...marks.map((m) => m.id), ...removed.markIds]);
      test = (e) =>
        (e.lessonId !== undefined && lessonIds.has(e.lessonId)) ||
        (e.markId !== undefined && markIds.has(e.markId));
    }
    if (classOf) {
      const inner = test;
      test = (e) => inner(e) && classOf(e) === opts.classId;
    }
    inScope.set(rule.id, test);
  }

  // Read before the transaction (the embedded store has one connection, which the transaction holds).
  // A gone finding is resolved from the data its rule saw: a narrowed rule's lies in its narrowed data.
  type Resolver = Awaited<ReturnType<typeof resolutionEvidence>>;
  const resolverOf = new Map<StoreRuleData, Resolver>();
  const resolvers = new Map<string, Resolver>();
  for (const { rule, data } of ev.evaluated) {
    let resolver = resolverOf.get(data);
    if (!resolver) {
      resolver = await resolutionEvidence(data, asOfIso);
      resolverOf.set(data, resolver);
    }
    resolvers.set(rule.id, resolver);
  }
  const proof = scope ? await proofReads(ev) : new Map<string, string>();

  return db.transaction(async (tx) => {
    const existing = await tx.query<ExistingViolation>(
      `SELECT id::text AS id, fingerprint, rule_id, status, level, entity, resolution->>'kind' AS resolution_kind,
              deadline, CASE WHEN evidence->>'kind' = 'missing' THEN evidence->>'observedAt' END AS missing_observed_at
         FROM violations
        WHERE school_id = $1 AND rule_id = ANY($2::text[])`,
      [schoolId, evaluatedIds],
    );
    const byFp = new Map(existing.map((v) => [v.fingerprint, v]));
    const inserts: Record<string, unknown>[] = [];
    const updates: Record<string, unknown>[] = [];
    const events: { id?: string; fingerprint?: string; kind: string; at: string; detail: unknown }[] = [];
    const counts = { new: 0, stillOpen: 0, resolved: 0, reopened: 0, escalated: 0 };
    const found = new Set<string>();
    const relevel: { id: string; level: number; observed_at: string | null }[] = [];

    for (const f of ev.findings) {
      const fp = fingerprint(f.ruleId, f.entity.key);
      found.add(fp);
      const settled = settledAt(f);
      const status = settled ? "resolved" : "open";
      const level = settled ? 0 : levelOf(f.deadline);
      const resolution = settled ? { kind: "entry-late", evidence: f.evidence } : null;
      const row = {
        fingerprint: fp,
        rule_id: f.ruleId,
        clause: f.clause,
        entity: f.entity,
        responsible_id: f.responsibleId,
        deadline: f.deadline,
        evidence: f.evidence,
        message: f.message,
        status,
        level,
        resolved_at: settled,
        resolution,
      };
      const old = byFp.get(fp);
      if (!old) {
        inserts.push(row);
        counts.new++;
        events.push({
          fingerprint: fp,
          kind: "opened",
          at: asOfIso,
          detail: { deadline: f.deadline, level },
        });
        if (settled) events.push({ fingerprint: fp, kind: "resolved", at: settled, detail: resolution });
        continue;
      }
      // Waived, or resolved by hand (the data cannot show that fix): left as the deputy decided.
      if (old.status === "waived" || (old.status === "resolved" && old.resolution_kind === "manual")) {
        if (old.status === "resolved") {
          updates.push({ ...row, id: old.id, status: "resolved", level: old.level, keep: true });
          continue;
        }
        updates.push({
          ...row,
          id: old.id,
          status: "waived",
          level: old.level,
          resolved_at: null,
          resolution: null,
          keep: true,
        });
        continue;
      }
      if (old.status === "resolved") {
        if (settled) {
          updates.push({ ...row, id: old.id, keep: true });
          continue;
        }
        counts.reopened++;
        events.push({ id: old.id, kind: "reopened", at: asOfIso, detail: { evidence: f.evidence } });
        updates.push({ ...row, id: old.id });
        continue;
      }
      // open
      if (settled) {
        counts.resolved++;
        events.push({ id: old.id, kind: "resolved", at: settled, detail: resolution });
      } else {
        counts.stillOpen++;
        if (level > old.level) {
          counts.escalated++;
          events.push({ id: old.id, kind: "escalated", at: asOfIso, detail: { from: old.level, to: level } });
        }
      }
      updates.push({ ...row, id: old.id, level: Math.max(level, settled ? 0 : old.level) });
    }

    // Open violations of the evaluated rules whose finding is gone: resolved, with what the data shows now.
    const gone = existing.filter(
      (v) =>
        v.status === "open" && !found.has(v.fingerprint) && (inScope.get(v.rule_id)?.(v.entity) ?? false),
    );
    if (gone.length > 0) {
      for (const v of gone) {
        const resolve = resolvers.get(v.rule_id);
        if (!resolve) continue; // not evaluated: out of scope (filtered above)
        const r = resolve(v.rule_id, v.entity);
        counts.resolved++;
        events.push({ id: v.id, kind: "resolved", at: r.at, detail: r.evidence });
        updates.push({ id: v.id, status: "resolved", resolved_at: r.at, resolution: r.evidence, gone: true });
      }
    }

    // Open violations an incremental check did not re-evaluate stand as they were judged, but the day
    // moved on: their level climbs with the working days past the deadline, and a "missing" entry is
    // proven by the latest full read of its streams, as a full check would say.
    if (scope) {
      for (const v of existing) {
        if (v.status !== "open" || found.has(v.fingerprint) || inScope.get(v.rule_id)?.(v.entity) !== false)
          continue;
        if (classOf && classOf(v.entity) !== opts.classId) continue; // a class's check leaves the others be
        const deadline = new Date(v.deadline).toISOString();
        const level = Math.max(levelOf(deadline), v.level);
        const read = proof.get(v.rule_id);
        const observedAt =
          v.missing_observed_at && read && read > deadline && read <= asOfIso && read > v.missing_observed_at
            ? read
            : undefined;
        if (level === v.level && !observedAt) continue;
        if (level > v.level) {
          counts.escalated++;
          events.push({ id: v.id, kind: "escalated", at: asOfIso, detail: { from: v.level, to: level } });
        }
        relevel.push({ id: v.id, level, observed_at: observedAt ?? null });
      }
    }

    const idByFp = new Map<string, string>();
    if (inserts.length > 0) {
      const rows = await tx.query<{ id: string; fingerprint: string }>(
        `INSERT INTO violations (school_id, fingerprint, rule_id, clause, entity, responsible_id, deadline, detected_at,
                                 status, level, evidence, message, resolved_at, resolution, last_checked_at)
         SELECT $1, x.fingerprint, x.rule_id, x.clause, x.entity, x.responsible_id, x.deadline, $2,
                x.status, x.level, x.evidence, x.message, x.resolved_at, x.resolution, $2
         FROM jsonb_to_recordset($3::jsonb) AS x(fingerprint text, rule_id text, clause text, entity jsonb,
              responsible_id text, deadline timestamptz, status text, level int, evidence jsonb, message text,
              resolved_at timestamptz, resolution jsonb)
         ON CONFLICT (school_id, fingerprint) DO NOTHING
         RETURNING id::text AS id, fingerprint`,
        [schoolId, asOf, JSON.stringify(inserts)],
      );
      for (const r of rows) idByFp.set(r.fingerprint, r.id);
    }
    const full = updates.filter((u) => !u.gone);
    if (full.length > 0) {
      await tx.query(
        `UPDATE violations v SET status = x.status, level = x.level, responsible_id = x.responsible_id,
                deadline = x.deadline, evidence = x.evidence, message = x.message, clause = x.clause, entity = x.entity,
                resolved_at = CASE WHEN x.keep THEN v.resolved_at ELSE x.resolved_at END,
                resolution = CASE WHEN x.keep THEN v.resolution ELSE x.resolution END,
                last_checked_at = $2
         FROM jsonb_to_recordset($3::jsonb) AS x(id bigint, clause text, entity jsonb, responsible_id text,
              deadline timestamptz, status text, level int, evidence jsonb, message text, resolved_at timestamptz,
              resolution jsonb, keep boolean)
         WHERE v.school_id = $1 AND v.id = x.id`,
        [schoolId, asOf, JSON.stringify(full.map((u) => ({ ...u, keep: u.keep === true })))],
      );
    }
    const goneUpdates = updates.filter((u) => u.gone);
    if (goneUpdates.length > 0) {
      await tx.query(
        `UPDATE violations v SET status = 'resolved', resolved_at = x.resolved_at, resolution = x.resolution, last_checked_at = $2
         FROM jsonb_to_recordset($3::jsonb) AS x(id bigint, resolved_at timestamptz, resolution jsonb)
         WHERE v.school_id = $1 AND v.id = x.id`,
        [schoolId, asOf, JSON.stringify(goneUpdates)],
      );
    }
    if (relevel.length > 0) {
      await tx.query(
        `UPDATE violations v SET level = x.level, last_checked_at = $2,
                evidence = CASE WHEN x.observed_at IS NULL THEN v.evidence
                           ELSE jsonb_set(v.evidence, '{observedAt}', to_jsonb(x.observed_at)) END
         FROM jsonb_to_recordset($3::jsonb) AS x(id bigint, level int, observed_at text)
         WHERE v.school_id = $1 AND v.id = x.id`,
        [schoolId, asOf, JSON.stringify(relevel)],
      );
    }
    const eventRows = events
      .map((e) => ({
        violation_id: e.id ?? idByFp.get(e.fingerprint ?? ""),
        kind: e.kind,
        at: e.at,
        detail: e.detail ?? {},
      }))
      .filter((e) => e.violation_id !== undefined);
    if (eventRows.length > 0) {
      await tx.query(
        `INSERT INTO violation_events (violation_id, school_id, kind, at, detail)
         SELECT x.violation_id, $1, x.kind, x.at, COALESCE(x.detail, '{}'::jsonb)
         FROM jsonb_to_recordset($2::jsonb) AS x(violation_id bigint, kind text, at timestamptz, detail jsonb)`,
        [schoolId, JSON.stringify(eventRows)],
      );
    }

    const obs = await tx.query<{ observed_through: Date | null; full_read_through: Date | null }>(
      `SELECT max(last_observed_at) AS observed_through,
              max(last_full_read_at) FILTER (WHERE stream = 'lessons') AS full_read_through
         FROM stream_state WHERE school_id = $1`,
      [schoolId],
    );
    const check = await tx.query<{ id: string }>(
      `INSERT INTO rule_checks (school_id, preset, as_of, observed_through, full_read_through, incremental, rules, class_id, counts, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) RETURNING id::text AS id`,
      [
        schoolId,
        preset.id,
        asOf,
        obs[0]?.observed_through ?? null,
        obs[0]?.full_read_through ?? null,
        scope !== undefined,
        evaluatedIds,
        opts.classId ?? null,
        JSON.stringify({ ...counts, failures: ev.failures.length }),
      ],
    );
    return {
      checkId: Number(check[0].id),
      asOf: asOfIso,
      preset: preset.id,
      incremental: scope !== undefined,
      ...counts,
      findings: ev.findings,
      failures: ev.failures,
    };
  });
}

/**
 * For each evaluated rule that declares the streams proving a missing entry: the read that proves it
 * now, the earliest of those streams' last full reads (both must have been read after the deadline).
 */
async function proofReads(ev: Evaluation): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { rule } of ev.evaluated) {
    if (!rule.proofStreams?.length) continue;
    const reads = await Promise.all(rule.proofStreams.map((s) => ev.full.observation(s)));
    if (reads.some((r) => r.lastFullReadAt === null)) continue;
    out.set(rule.id, reads.map((r) => r.lastFullReadAt as string).sort()[0]);
  }
  return out;
}

/** What the data shows now about a violation whose finding is gone: the entry and when it came. */
async function resolutionEvidence(
  data: StoreRuleData,
  asOfIso: string,
): Promise<(ruleId: string, e: FindingEntity) => { at: string; evidence: Record<string, unknown> }> {
  const [lessons, marks, attendance, lessonObs] = await Promise.all([
    data.lessons(),
    data.marks(),
    data.attendance(),
    data.observation("lessons"),
  ]);
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const markById = new Map(marks.map((m) => [m.id, m]));
  const firstAttendance = new Map<string, string>();
  for (const a of attendance) {
    const t = a.recordedAt ?? a.firstSeenAt;
    const prev = firstAttendance.get(a.lessonId);
    if (!prev || Date.parse(t) < Date.parse(prev)) firstAttendance.set(a.lessonId, t);
  }
  const observedAt = lessonObs.lastObservedAt ?? asOfIso;
  const entry = (field: string, recordedAt: string | undefined, firstSeenAt: string | undefined) => {
    const at = recordedAt ?? firstSeenAt ?? observedAt;
    return {
      at,
      evidence: {
        kind: "entry-present",
        field,
        ...(recordedAt ? { recordedAt } : {}),
        ...(firstSeenAt ? { firstSeenAt } : {}),
      },
    };
  };
  const gone = { at: observedAt, evidence: { kind: "finding-gone", observedAt } };
  return (ruleId, e) => {
    const l = e.lessonId ? lessonById.get(e.lessonId) : undefined;
    if (e.kind === "mark" && e.markId && !markById.has(e.markId))
      return { at: observedAt, evidence: { kind: "entry-removed", markId: e.markId, observedAt } };
    if (e.kind === "lesson" && e.lessonId && !l)
      return { at: observedAt, evidence: { kind: "entry-removed", lessonId: e.lessonId, observedAt } };
    if (l && (ruleId === "lesson.topic.late" || ruleId === "substitution.wrong-author") && l.topic)
      return entry("topic", l.topicRecordedAt, l.topicFirstSeenAt);
    if (l && ruleId === "homework.late" && l.homework)
      return entry("homework", l.homeworkRecordedAt, l.homeworkFirstSeenAt);
    if (l && ruleId === "attendance.not-taken") {
      if (l.attendanceRecordedAt) return entry("attendance", l.attendanceRecordedAt, undefined);
      const first = firstAttendance.get(l.id);
      if (first) return entry("attendance", first, undefined);
    }
    return gone;
  };
}
