// The escalation ladder as the deputy reads it (who is told after how many working days), the
// delivery settings (no secrets), and each person's own notification channels (contacts by personId).
import express from "express";
import { z } from "zod";
import { getContact, setContact } from "../escalation/contacts.ts";
import { loadPreset } from "../rules/presets.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { describeRoute } from "./openapi-registry.ts";
import { badRequest, conflict } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseBody } from "./validate.ts";

const WHO_RU = [
  "Учитель, ответственный за запись",
  "Классный руководитель",
  "Заместитель директора по УВР",
  "Директор",
];

export const ladderSchema = z.object({
  ladder: z.array(
    z.object({
      level: z.number().int(),
      who: z.string(),
      /** Working days after the deadline when this rung is reached (cumulative). */
      afterDays: z.number().int(),
      /** Working days at this rung before the next; null at the top. */
      stepDays: z.number().int().nullable(),
    }),
  ),
  config: z.object({
    preset: z.string(),
    presetTitle: z.string(),
    quietHours: z.object({ from: z.string(), to: z.string() }),
    channelOrder: z.record(z.string(), z.array(z.string())),
    channels: z.object({
      email: z.boolean(),
      mailbox: z.boolean(),
      telegram: z.boolean(),
      webhook: z.boolean(),
    }),
  }),
});

export const channelsSchema = z.object({
  email: z.string().nullable(),
  telegramChatId: z.string().nullable(),
});
export const channelsBodySchema = z
  .object({
    email: z.union([z.email().max(254), z.literal("")]).optional(),
    telegramChatId: z
      .union([
        z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "ожидается числовой chat id или @имя"),
        z.literal(""),
      ])
      .optional(),
  })
  .strict();

export function escalationRouter(deps: ApiDeps): express.Router {
  const r = express.Router();

  describeRoute({
    method: "get",
    path: "/schools/:school/escalation",
    summary: "Лестница эскалации и настройки доставки",
    permission: "escalation.read",
    response: ladderSchema,
    tags: ["escalation"],
  });
  r.get("/schools/:school/escalation", requirePermission("escalation.read"), schoolScope, (_req, res) => {
    const esc = deps.config.escalation;
    const preset = loadPreset(esc.preset);
    const steps = preset.escalation.steps;
    let after = 0;
    const ladder = [{ level: 0, who: WHO_RU[0], afterDays: 0, stepDays: steps[0] ?? null }];
    steps.forEach((step, i) => {
      after += step;
      ladder.push({ level: i + 1, who: WHO_RU[i + 1], afterDays: after, stepDays: steps[i + 1] ?? null });
    });
    res.json({
      ladder,
      config: {
        preset: preset.id,
        presetTitle: preset.title,
        quietHours: esc.quietHours,
        channelOrder: esc.channelOrder,
        channels: {
          email: esc.email !== undefined,
          mailbox: esc.email?.mailbox !== undefined,
          telegram: esc.telegram !== undefined,
          webhook: esc.webhook !== undefined,
        },
      },
    });
  });

  const personOf = (req: express.Request): string => {
    const personId = req.user?.personId;
    if (!personId)
      throw conflict("К учётной записи не привязан сотрудник школы: каналы уведомлений не заданы.");
    return personId;
  };

  describeRoute({
    method: "get",
    path: "/me/channels",
    summary: "Мои каналы уведомлений",
    permission: "own-channels.change",
    response: channelsSchema,
    tags: ["escalation"],
  });
  r.get("/me/channels", requirePermission("own-channels.change"), async (req, res) => {
    const personId = personOf(req);
    for (const schoolId of req.user!.schoolIds) {
      const c = await getContact(deps.db, schoolId, personId);
      if (c) return void res.json({ email: c.email ?? null, telegramChatId: c.telegramChatId ?? null });
    }
    res.json({ email: null, telegramChatId: null });
  });

  describeRoute({
    method: "put",
    path: "/me/channels",
    summary: "Изменить мои каналы уведомлений (пустая строка — удалить)",
    permission: "own-channels.change",
    body: channelsBodySchema,
    response: channelsSchema,
    tags: ["escalation"],
  });
  r.put("/me/channels", requirePermission("own-channels.change"), async (req, res) => {
    const personId = personOf(req);
    const body = parseBody(channelsBodySchema, req);
    if (body.email === undefined && body.telegramChatId === undefined)
      throw badRequest("Укажите e-mail или Telegram.");
    let last: { email?: string; telegramChatId?: string } = {};
    // the same person in each of the user's schools (a contact row is per school)
    for (const schoolId of req.user!.schoolIds) {
      last = await setContact(deps.db, schoolId, personId, body);
      req.schoolId = schoolId;
      await writeAudit(deps.db, req, {
        action: "channels.change",
        target: `person:${personId}`,
        detail: { email: body.email !== undefined, telegram: body.telegramChatId !== undefined },
      });
    }
    res.json({ email: last.email ?? null, telegramChatId: last.telegramChatId ?? null });
  });

  return r;
}
