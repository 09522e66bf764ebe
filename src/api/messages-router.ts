// What recipients read: the outbox (every escalation message and digest), each previewed as its
// channel sends it (e-mail subject/html/text, Telegram's HTML text), and the demo's local mailbox of
// .eml files the e-mail channel delivered. Only the school's own messages; mailbox files are found
// from the school's outbox ids, never from a path in the URL.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import express from "express";
import { simpleParser } from "mailparser";
import { z } from "zod";
import type { Config } from "../config/schema.ts";
import { mailboxFileName } from "../escalation/channels/mailbox-channel.ts";
import { renderTelegramHtml } from "../escalation/channels/telegram-channel.ts";
import type { Db } from "../store/db.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { describeRoute } from "./openapi-registry.ts";
import { limitOffset, pageQuerySchema, pageSchema } from "./paginate.ts";
import { notFound } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseParams, parseQuery } from "./validate.ts";

export const RECIPIENT_ROLE_RU: Record<string, string> = {
  teacher: "Учитель",
  deputy: "Заместитель директора",
  director: "Директор",
  admin: "Администратор",
};

export const messagesQuerySchema = pageQuerySchema.extend({
  kind: z.enum(["digest", "weekly-summary", "alert"]).optional(),
  status: z.enum(["pending", "sending", "sent", "failed"]).optional(),
});

export const messageRowSchema = z.object({
  id: z.string(),
  kind: z.enum(["digest", "weekly-summary", "alert"]),
  channel: z.enum(["email", "telegram", "webhook"]).nullable(),
  status: z.enum(["pending", "sending", "sent", "failed"]),
  recipientId: z.string(),
  recipientName: z.string().nullable(),
  recipientRole: z.string().nullable(),
  recipientRoleLabel: z.string().nullable(),
  subject: z.string(),
  createdAt: z.string(),
  notBefore: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  violationIds: z.array(z.number().int()),
});

export const previewSchema = z.object({
  id: z.string(),
  email: z.object({ subject: z.string(), html: z.string().nullable(), text: z.string() }),
  telegram: z.object({ text: z.string() }),
});

export const mailboxItemSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  date: z.string().nullable(),
  bytes: z.number().int(),
});
export const mailboxMessageSchema = z.object({
  id: z.string(),
  headers: z.record(z.string(), z.string()),
  text: z.string(),
  html: z.string().nullable(),
});

interface OutboxListRow {
  id: string;
  kind: "digest" | "weekly-summary" | "alert";
  channel: "email" | "telegram" | "webhook" | null;
  status: "pending" | "sending" | "sent" | "failed";
  person_id: string;
  name: string | null;
  role: string | null;
  subject: string;
  created_at: Date;
  not_before: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  violation_ids: (string | number)[];
}

/** The mailbox directory: the e-mail channel's `mailbox`, else `<outDir>/mailbox` (where the demo writes). */
export function mailboxDir(config: Config): string {
  return resolve(config.escalation.email?.mailbox ?? join(config.outDir, "mailbox"));
}

async function outboxRow(db: Db, schoolId: string, id: string) {
  const rows = await db.query<{ id: string; subject: string; text: string; html: string | null }>(
    "SELECT id, subject, text, html FROM outbox WHERE school_id = $1 AND id = $2",
    [schoolId, id],
  );
  return rows[0];
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const idParams = z.object({ school: z.string(), id: z.string().min(1).max(500) });

export function messagesRouter(deps: ApiDeps): express.Router {
  const r = express.Router();

  describeRoute({
    method: "get",
    path: "/schools/:school/messages",
    summary: "Сообщения эскалации и дайджесты (очередь отправки)",
    permission: "messages.read",
    query: messagesQuerySchema,
    response: pageSchema(messageRowSchema),
    tags: ["escalation"],
  });
  r.get("/schools/:school/messages", requirePermission("messages.read"), schoolScope, async (req, res) => {
    const q = parseQuery(messagesQuerySchema, req);
    const { limit, offset } = limitOffset(q);
    const params = [req.schoolId!, q.kind ?? null, q.status ?? null];
    const cond =
      "o.school_id = $1 AND ($2::text IS NULL OR o.kind = $2) AND ($3::text IS NULL OR o.status = $3)";
    const [{ n }] = await deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox o WHERE ${cond}`,
      params,
    );
    const rows = await deps.db.query<OutboxListRow>(
      `SELECT o.id, o.kind, o.channel, o.status, o.person_id, p.name, p.role, o.subject, o.created_at,
         o.not_before, o.sent_at, o.attempts, o.last_error, o.violation_ids
       FROM outbox o LEFT JOIN persons p ON p.school_id = o.school_id AND p.key = o.person_id
       WHERE ${cond} ORDER BY o.created_at DESC, o.id LIMIT $4 OFFSET $5`,
      [...params, limit, offset],
    );
    await writeAudit(deps.db, req, {
      action: "messages.list",
      target: `school:${req.schoolId}`,
      detail: { kind: q.kind ?? null, status: q.status ?? null, page: q.page },
    });
    res.json({
      items: rows.map((o) => ({
        id: o.id,
        kind: o.kind,
        channel: o.channel,
        status: o.status,
        recipientId: o.person_id,
        recipientName: o.name,
        recipientRole: o.role,
        recipientRoleLabel: o.role ? (RECIPIENT_ROLE_RU[o.role] ?? o.role) : null,
        subject: o.subject,
        createdAt: iso(o.created_at)!,
        notBefore: iso(o.not_before)!,
        sentAt: iso(o.sent_at),
        attempts: o.attempts,
        lastError: o.last_error,
        violationIds: o.violation_ids.map(Number),
      })),
      total: n,
      page: q.page,
      pageSize: q.pageSize,
    });
  });

  describeRoute({
    method: "get",
    path: "/schools/:school/messages/:id/preview",
    summary: "Сообщение так, как его увидит получатель (e-mail и Telegram)",
    permission: "messages.read",
    response: previewSchema,
    tags: ["escalation"],
  });
  r.get(
    "/schools/:school/messages/:id/preview",
    requirePermission("messages.read"),
    schoolScope,
    async (req, res) => {
      const { id } = parseParams(idParams, req);
      const row = await outboxRow(deps.db, req.schoolId!, id);
      if (!row) throw notFound("Сообщение не найдено.");
      await writeAudit(deps.db, req, { action: "message.preview", target: `outbox:${id}` });
      // The e-mail channel sends subject, text and html as stored; Telegram sends renderTelegramHtml.
      res.json({
        id: row.id,
        email: { subject: row.subject, html: row.html, text: row.text },
        telegram: { text: renderTelegramHtml(row.subject, row.text) },
      });
    },
  );

  describeRoute({
    method: "get",
    path: "/schools/:school/mailbox",
    summary: "Локальный почтовый ящик демо: доставленные письма",
    permission: "messages.read",
    response: z.array(mailboxItemSchema),
    tags: ["escalation"],
  });
  r.get("/schools/:school/mailbox", requirePermission("messages.read"), schoolScope, async (req, res) => {
    const dir = mailboxDir(deps.config);
    const ids = await deps.db.query<{ id: string }>(
      "SELECT id FROM outbox WHERE school_id = $1 AND channel = 'email' ORDER BY created_at DESC, id",
      [req.schoolId!],
    );
    const items: z.infer<typeof mailboxItemSchema>[] = [];
    for (const { id } of ids) {
      const file = join(dir, mailboxFileName(id));
      if (!existsSync(file)) continue;
      const raw = await readFile(file);
      const mail = await simpleParser(raw, {
        skipHtmlToText: true,
        skipTextToHtml: true,
        skipImageLinks: true,
      });
      items.push({
        id,
        to: mail.to ? (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : mail.to.text) : "",
        subject: mail.subject ?? "",
        date: mail.date ? mail.date.toISOString() : (await stat(file)).mtime.toISOString(),
        bytes: raw.length,
      });
    }
    await writeAudit(deps.db, req, { action: "mailbox.list", target: `school:${req.schoolId}` });
    res.json(items);
  });

  describeRoute({
    method: "get",
    path: "/schools/:school/mailbox/:id",
    summary: "Одно письмо из локального почтового ящика демо",
    permission: "messages.read",
    response: mailboxMessageSchema,
    tags: ["escalation"],
  });
  r.get("/schools/:school/mailbox/:id", requirePermission("messages.read"), schoolScope, async (req, res) => {
    const { id } = parseParams(idParams, req);
    const row = await outboxRow(deps.db, req.schoolId!, id);
    const file = join(mailboxDir(deps.config), mailboxFileName(id));
    if (!row || !existsSync(file)) throw notFound("Письмо не найдено.");
    const mail = await simpleParser(await readFile(file), { skipImageLinks: true });
    const headers: Record<string, string> = {};
    for (const line of mail.headerLines) {
      const colon = line.line.indexOf(":");
      headers[line.key] = colon >= 0 ? line.line.slice(colon + 1).trim() : line.line;
    }
    for (const key of ["subject", "from", "to", "date"] as const) {
      const v = mail.headers.get(key);
      if (v !== undefined)
        headers[key] =
          v instanceof Date
            ? v.toISOString()
            : typeof v === "string"
              ? v
              : ((v as { text?: string }).text ?? String(v));
    }
    await writeAudit(deps.db, req, { action: "mailbox.read", target: `outbox:${id}` });
    res.json({ id, headers, text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : null });
  });

  return r;
}
