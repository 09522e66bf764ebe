// The outbox: every message escalation means to send, stored before any channel is tried, so nothing
// is lost when a channel or the worker is down. A row's id is the message's idempotency key; the
// deliver job of the queue has the same id. Status: pending → sending → sent, or failed (visible).
import type { Db } from "../store/db.ts";
import type { ChannelKind, MessageKind } from "./channels/types.ts";

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ["pending", "sending", "sent", "failed"];

/** The last_error of a row whose person has no usable contact; such a row is revived when one is set. */
export const NO_CONTACT = "no contact";

export interface OutboxRow {
  id: string;
  schoolId: string;
  channel: ChannelKind | null;
  personId: string;
  subject: string;
  text: string;
  html: string | null;
  kind: MessageKind;
  status: OutboxStatus;
  attempts: number;
  notBefore: Date;
  sentAt: Date | null;
  providerId: string | null;
  lastError: string | null;
  violationIds: number[];
  createdAt: Date;
}

export interface NewOutboxMessage {
  id: string;
  schoolId: string;
  /** null when the person has no usable contact: the row is stored failed with last_error "no contact". */
  channel: ChannelKind | null;
  personId: string;
  subject: string;
  text: string;
  html?: string;
  kind: MessageKind;
  notBefore: Date;
  violationIds: readonly number[];
}

interface Row {
  id: string;
  school_id: string;
  channel: ChannelKind | null;
  person_id: string;
  subject: string;
  text: string;
  html: string | null;
  kind: MessageKind;
  status: OutboxStatus;
  attempts: number;
  not_before: Date;
  sent_at: Date | null;
  provider_id: string | null;
  last_error: string | null;
  violation_ids: (string | number)[];
  created_at: Date;
}

function toOutboxRow(r: Row): OutboxRow {
  return {
    id: r.id,
    schoolId: r.school_id,
    channel: r.channel,
    personId: r.person_id,
    subject: r.subject,
    text: r.text,
    html: r.html,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    notBefore: new Date(r.not_before),
    sentAt: r.sent_at === null ? null : new Date(r.sent_at),
    providerId: r.provider_id,
    lastError: r.last_error,
    violationIds: (r.violation_ids ?? []).map(Number),
    createdAt: new Date(r.created_at),
  };
}

/**
 * Stores messages; an id already there is left alone (the same day's digest built twice adds nothing),
 * except a row that failed for want of a contact, which is replaced when the person now has one.
 * Returns the ids of rows now pending that were not before: those need a deliver job.
 */
export async function addToOutbox(db: Db, messages: readonly NewOutboxMessage[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = messages.map((m) => ({
    id: m.id,
    school_id: m.schoolId,
    channel: m.channel,
    person_id: m.personId,
    subject: m.subject,
    text: m.text,
    html: m.html ?? null,
    kind: m.kind,
    status: m.channel === null ? "failed" : "pending",
    last_error: m.channel === null ? NO_CONTACT : null,
    not_before: m.notBefore.toISOString(),
    violation_ids: m.violationIds.map(String),
  }));
  const inserted = await db.query<{ id: string; status: OutboxStatus }>(
    `INSERT INTO outbox (id, school_id, channel, person_id, subject, text, html, kind, status, last_error,
                         not_before, violation_ids)
     SELECT x.id, x.school_id, x.channel, x.person_id, x.subject, x.text, x.html, x.kind, x.status, x.last_error,
            x.not_before, ARRAY(SELECT jsonb_array_elements_text(x.violation_ids))::bigint[]
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, school_id text, channel text, person_id text, subject text,
          text text, html text, kind text, status text, last_error text, not_before timestamptz, violation_ids jsonb)
     ON CONFLICT (school_id, id) DO UPDATE SET channel = EXCLUDED.channel, subject = EXCLUDED.subject, text = EXCLUDED.text,
          html = EXCLUDED.html, status = EXCLUDED.status, last_error = EXCLUDED.last_error,
          not_before = EXCLUDED.not_before, violation_ids = EXCLUDED.violation_ids, updated_at = now()
       WHERE outbox.status = 'failed' AND outbox.last_error = '${NO_CONTACT}' AND EXCLUDED.status = 'pending'
     RETURNING id, status`,
    [JSON.stringify(rows)],
  );
  return inserted.filter((r) => r.status === "pending").map((r) => r.id);
}

export async function getOutboxRow(db: Db, id: string): Promise<OutboxRow | undefined> {
  const rows = await db.query<Row>("SELECT * FROM outbox WHERE id = $1", [id]);
  return rows[0] === undefined ? undefined : toOutboxRow(rows[0]);
}

export async function listOutbox(
  db: Db,
  filter: { schoolId?: string; status?: OutboxStatus; limit?: number } = {},
): Promise<OutboxRow[]> {
  const rows = await db.query<Row>(
    `SELECT * FROM outbox WHERE ($1::text IS NULL OR school_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY created_at, id LIMIT $3`,
    [filter.schoolId ?? null, filter.status ?? null, filter.limit ?? 1000],
  );
  return rows.map(toOutboxRow);
}

/** Rows still owed a delivery (pending, or sending when a worker died mid-send), oldest first. */
export async function undeliveredIds(db: Db, schoolId: string): Promise<{ id: string; notBefore: Date }[]> {
  const rows = await db.query<{ id: string; not_before: Date }>(
    "SELECT id, not_before FROM outbox WHERE school_id = $1 AND status IN ('pending', 'sending') ORDER BY not_before, id",
    [schoolId],
  );
  return rows.map((r) => ({ id: r.id, notBefore: new Date(r.not_before) }));
}

/** Claims a row for a send: counts the attempt. */
export async function markSending(db: Db, id: string): Promise<void> {
  await db.query(
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = $1",
    [id],
  );
}

export async function markSent(db: Db, id: string, providerId: string | undefined, at: Date): Promise<void> {
  await db.query(
    `UPDATE outbox SET status = 'sent', sent_at = $2, provider_id = $3, last_error = NULL, updated_at = now()
     WHERE id = $1`,
    [id, at, providerId ?? null],
  );
}

/** A failed try that will be retried: back to pending with the error (technical, no address). */
export async function markRetry(db: Db, id: string, error: string): Promise<void> {
  await db.query(
    "UPDATE outbox SET status = 'pending', last_error = $2, updated_at = now() WHERE id = $1 AND status <> 'sent'",
    [id, error],
  );
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.query(
    "UPDATE outbox SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1 AND status <> 'sent'",
    [id, error],
  );
}
