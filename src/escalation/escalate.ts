// One escalation run for a school (DESIGN.md "Escalation", 001 §3.4): raise open violations up the
// ladder, word the day's digests (one message per person per day) and, on the week's last working
// day, the deputy's weekly summary; store them in the outbox and queue a deliver job for each.
//
// Choices:
// - The ladder counts working days from the deadline's school-local day, as the rules engine does
//   (engine.ts), so a check and an escalation run never disagree; levels only ever go up.
// - A digest belongs to the day it may be delivered (quiet hours, weekends, holidays), so a run at
//   22:00 and the run next morning build the same message id: one message per person per day.
// - A person without a usable contact gets a row stored `failed` with last_error "no contact":
//   visible in `reglament outbox list`, never silently dropped; a later run the same day, after
//   `reglament contact set`, turns it pending and delivers it.
// - A school-wide violation (no responsible teacher) is the administration's: the deputies hold it.
import { addDays, isoWeekday } from "../calendar/index.ts";
import type { JobQueue } from "../queue/types.ts";
import { loadSchool } from "../rules/context.ts";
import { loadPreset, type Preset } from "../rules/presets.ts";
import { findRule } from "../rules/registry.ts";
import type { Db } from "../store/db.ts";
import type { ChannelKind, Recipient } from "./channels/types.ts";
import { contactsOf } from "./contacts.ts";
import { enqueueDelivery } from "./deliver-job.ts";
import { buildDailyDigests, buildWeeklySummaries, type Digest } from "./digest.ts";
import { defaultEscalationConfig, type EscalationConfig } from "./escalation-config.ts";
import { escalationLevel, recipientsFor } from "./ladder.ts";
import type { OpenFinding, ResolvedFinding, StaffMember } from "./open-finding.ts";
import { addToOutbox, type NewOutboxMessage, undeliveredIds } from "./outbox.ts";
import { nextDeliveryTime } from "./quiet-hours.ts";

export interface RunEscalationOptions {
  schoolId: string;
  /** The moment of the run (default: now). */
  now?: Date;
  /** The preset whose ladder applies, or its name (default: config preset, else "default"). */
  preset?: Preset | string;
  /** The channel kinds this deployment can send through (e.g. `Object.keys(channelsFromConfig(…))`). */
  channels: readonly ChannelKind[];
  /** Quiet hours, channel order and retry policy (default: the config defaults). */
  config?: EscalationConfig;
  /** Where deliver jobs go; without one the rows wait in the outbox for a later run with a queue. */
  queue?: JobQueue;
}

export interface EscalationResult {
  schoolId: string;
  /** The school-local day the digests are for. */
  date: string;
  /** When the messages may go out. */
  notBefore: string;
  openViolations: number;
  /** Violations whose level went up in this run. */
  escalated: number;
  digests: number;
  weeklySummaries: number;
  /** Rows added to the outbox now (or revived after a contact was set). */
  added: number;
  /** Messages already in the outbox from an earlier run (not sent twice). */
  alreadyQueued: number;
  /** Rows stored failed because the person has no usable contact. */
  noContact: number;
  /** Deliver jobs newly put on the queue (new rows and any undelivered ones left from before). */
  enqueued: number;
}

interface ViolationRow {
  id: string;
  rule_id: string;
  clause: string;
  entity: { classId?: string; lessonId?: string; studentId?: string };
  responsible_id: string | null;
  deadline: Date;
  detected_at: Date;
  level: number;
  message: string;
  status: string;
  resolved_at: Date | null;
}

interface PersonRow {
  id: string;
  role: string;
  name: string | null;
  class_id: string | null;
}

type StaffKind = keyof EscalationConfig["channelOrder"];

export async function runEscalation(db: Db, options: RunEscalationOptions): Promise<EscalationResult> {
  const config = options.config ?? defaultEscalationConfig;
  const now = options.now ?? new Date();
  const preset =
    typeof options.preset === "object" ? options.preset : loadPreset(options.preset ?? config.preset);
  const { school, calendar } = await loadSchool(db, options.schoolId, preset.calendar);
  const schoolId = school.id;
  const today = calendar.dateOf(now);
  const notBefore = nextDeliveryTime(now, {
    timezone: school.timezone,
    from: config.quietHours.from,
    to: config.quietHours.to,
    isWorkingDay: (d) => calendar.isWorkingDay(d),
  });
  const date = calendar.dateOf(notBefore);

  // 1. The ladder.
  const open = await db.query<ViolationRow>(
    `SELECT id::text AS id, rule_id, clause, entity, responsible_id, deadline, detected_at, level, message, status,
            resolved_at
       FROM violations WHERE school_id = $1 AND status = 'open' ORDER BY id`,
    [schoolId],
  );
  const raises: { id: string; from: number; to: number }[] = [];
  for (const v of open) {
    const due = calendar.dateOf(new Date(v.deadline));
    const level = escalationLevel(due, today, preset.escalation.steps, (a, b) =>
      calendar.workingDaysBetween(a, b),
    );
    if (level > v.level) {
      raises.push({ id: v.id, from: v.level, to: level });
      v.level = level;
    }
  }
  let escalated = 0;
  if (raises.length > 0) {
    const rows = await db.query<{ id: string }>(
      `WITH raised AS (
         UPDATE violations v SET level = x.to_level
           FROM jsonb_to_recordset($2::jsonb) AS x(id bigint, from_level int, to_level int)
          WHERE v.school_id = $1 AND v.id = x.id AND v.status = 'open' AND v.level < x.to_level
         RETURNING v.id, x.from_level, x.to_level)
       INSERT INTO violation_events (violation_id, school_id, kind, at, detail)
       SELECT id, $1, 'escalated', $3, jsonb_build_object('from', from_level, 'to', to_level, 'by', 'escalation')
         FROM raised RETURNING violation_id::text AS id`,
      [schoolId, JSON.stringify(raises.map((r) => ({ id: r.id, from_level: r.from, to_level: r.to }))), now],
    );
    escalated = rows.length;
  }

  // 2. Who is who.
  const persons = await db.query<PersonRow>(
    `SELECT id, role, name, class_id FROM persons
      WHERE school_id = $1 AND deleted_at IS NULL AND id IS NOT NULL AND role IS NOT NULL`,
    [schoolId],
  );
  const classTeacher = new Map(
    (
      await db.query<{ id: string; class_teacher_id: string | null }>(
        "SELECT id, class_teacher_id FROM classes WHERE school_id = $1 AND deleted_at IS NULL AND id IS NOT NULL",
        [schoolId],
      )
    ).map((c) => [c.id, c.class_teacher_id ?? undefined]),
  );
  const lessonIds = [...new Set(open.map((v) => v.entity.lessonId).filter((id) => id !== undefined))];
  const lessonClass = new Map(
    lessonIds.length === 0
      ? []
      : (
          await db.query<{ id: string; class_id: string }>(
            "SELECT id, class_id FROM lessons WHERE school_id = $1 AND id = ANY($2::text[])",
            [schoolId, lessonIds],
          )
        ).map((l) => [l.id, l.class_id]),
  );
  const studentClass = new Map(persons.filter((p) => p.role === "student").map((p) => [p.id, p.class_id]));
  const deputyIds = persons.filter((p) => p.role === "deputy").map((p) => p.id);
  const directorIds = persons.filter((p) => p.role === "director").map((p) => p.id);
  const roleOf = new Map(persons.map((p) => [p.id, p.role]));
  const contacts = await contactsOf(db, schoolId);
  const staff = new Map<string, StaffMember>();
  for (const p of persons) {
    if (p.role === "student" || p.role === "parent") continue;
    staff.set(p.id, { ...(contacts.get(p.id) ?? { personId: p.id }), name: p.name ?? p.id });
  }

  const classOf = (v: ViolationRow): string | undefined =>
    v.entity.classId ??
    (v.entity.lessonId === undefined ? undefined : lessonClass.get(v.entity.lessonId)) ??
    (v.entity.studentId === undefined ? undefined : (studentClass.get(v.entity.studentId) ?? undefined));

  const toFinding = (v: ViolationRow): OpenFinding | undefined => {
    const responsibleId = v.responsible_id ?? deputyIds[0] ?? directorIds[0];
    if (responsibleId === undefined) return undefined;
    return {
      violationId: v.id,
      ruleId: v.rule_id,
      ruleTitle: findRule(v.rule_id)?.title ?? v.rule_id,
      clause: v.clause,
      entity: entityText(v.message),
      deadline: new Date(v.deadline).toISOString(),
      detectedAt: new Date(v.detected_at).toISOString(),
      responsibleId,
      level: Math.min(3, Math.max(0, v.level)),
    };
  };
  const byId = new Map(open.map((v) => [v.id, v]));
  const findings = open.map(toFinding).filter((f): f is OpenFinding => f !== undefined);

  // 3. The messages.
  const consoleUrl = config.consoleUrl?.replace(/\/+$/, "");
  const daily = buildDailyDigests({
    schoolId,
    date,
    timezone: school.timezone,
    findings,
    staff,
    findingUrl: consoleUrl ? (id) => `${consoleUrl}/findings/${encodeURIComponent(id)}` : undefined,
    recipientsOf: (f) => {
      const v = byId.get(f.violationId)!;
      const teacherId = v.responsible_id ?? f.responsibleId;
      const ct = classOf(v);
      return recipientsFor(f.level, {
        teacherId,
        ...(ct === undefined || classTeacher.get(ct) === undefined
          ? {}
          : { classTeacherId: classTeacher.get(ct)! }),
        deputyIds,
        directorIds,
      });
    },
  });
  let weekly: Digest[] = [];
  if (isLastWorkingDayOfWeek(date, (d) => calendar.isWorkingDay(d)) && deputyIds.length > 0) {
    const weekStart = addDays(date, 1 - isoWeekday(date));
    const weekEnd = addDays(weekStart, 6);
    weekly = buildWeeklySummaries({
      schoolId,
      weekStart,
      weekEnd,
      timezone: school.timezone,
      open: findings,
      resolved: await resolvedSince(db, schoolId, calendar.startOfDay(weekStart), toFinding),
      deputyIds,
      staff,
    });
  }

  // 4. The outbox.
  const kindOf = (personId: string): StaffKind => {
    const role = roleOf.get(personId);
    return role === "deputy" || role === "director" ? role : "teacher";
  };
  const rows: NewOutboxMessage[] = [...daily, ...weekly].map(({ message, violationIds }) => ({
    id: message.id,
    schoolId,
    channel: pickChannel(
      config.channelOrder[kindOf(message.recipient.personId)],
      options.channels,
      contacts.get(message.recipient.personId),
    ),
    personId: message.recipient.personId,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    kind: message.meta.kind,
    notBefore,
    violationIds: violationIds.map(Number),
  }));
  const added = await addToOutbox(db, rows);
  const noContact = rows.filter((r) => r.channel === null).length;

  // 5. The queue: new rows, and any left undelivered (a queue that was down, a worker that died).
  let enqueued = 0;
  if (options.queue) {
    for (const row of await undeliveredIds(db, schoolId)) {
      const r = await enqueueDelivery(options.queue, schoolId, row.id, row.notBefore, config.delivery);
      if (!r.duplicate) enqueued++;
    }
  }

  return {
    schoolId,
    date,
    notBefore: notBefore.toISOString(),
    openViolations: open.length,
    escalated,
    digests: daily.length,
    weeklySummaries: weekly.length,
    added: added.length,
    alreadyQueued: rows.length - added.length - noContact,
    noContact,
    enqueued,
  };
}

/** The first channel of `order` that is configured and for which the person has an address. */
export function pickChannel(
  order: readonly ChannelKind[],
  configured: readonly ChannelKind[],
  contact: Recipient | undefined,
): ChannelKind | null {
  if (contact === undefined) return null;
  const has: Record<ChannelKind, boolean> = {
    email: contact.email !== undefined,
    telegram: contact.telegramChatId !== undefined,
    webhook: contact.webhookUrl !== undefined,
  };
  return order.find((c) => configured.includes(c) && has[c]) ?? null;
}

/** True when no working day follows `date` in its ISO week (Friday, or Thursday before a holiday). */
export function isLastWorkingDayOfWeek(date: string, isWorkingDay: (d: string) => boolean): boolean {
  if (!isWorkingDay(date)) return false;
  for (let d = addDays(date, 1); isoWeekday(d) !== 1; d = addDays(d, 1)) if (isWorkingDay(d)) return false;
  return true;
}

/** The rule's message without its trailing «Срок — …»: the digest shows the deadline itself. */
function entityText(message: string): string {
  return message.replace(/\s*Срок\s+—\s+.*$/s, "").replace(/\.$/, "") || message;
}

async function resolvedSince(
  db: Db,
  schoolId: string,
  since: Date,
  toFinding: (v: ViolationRow) => OpenFinding | undefined,
): Promise<ResolvedFinding[]> {
  const rows = await db.query<ViolationRow>(
    `SELECT v.id::text AS id, v.rule_id, v.clause, v.entity, v.responsible_id, v.deadline, v.detected_at, v.level,
            v.message, v.status,
            COALESCE(v.resolved_at, (SELECT max(e.at) FROM violation_events e
                                      WHERE e.violation_id = v.id AND e.kind = 'waived')) AS resolved_at
       FROM violations v
      WHERE v.school_id = $1 AND v.status IN ('resolved', 'waived')
        AND COALESCE(v.resolved_at, (SELECT max(e.at) FROM violation_events e
                                      WHERE e.violation_id = v.id AND e.kind = 'waived')) >= $2`,
    [schoolId, since],
  );
  const out: ResolvedFinding[] = [];
  for (const r of rows) {
    const f = toFinding(r);
    if (f !== undefined && r.resolved_at !== null)
      out.push({ ...f, resolvedAt: new Date(r.resolved_at).toISOString() });
  }
  return out;
}
