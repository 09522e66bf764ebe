// The demo's escalation end to end: every staff member of the demo school gets a demo e-mail address
// (<person-id>@demo.reglament.local), the day's digests go into the outbox and are delivered at once
// into the local mailbox directory (.eml files) the console shows. A real school configures SMTP or
// Telegram instead and the worker delivers on its schedule.
import { join, resolve } from "node:path";
import type { Db } from "../store/db.ts";
import { channelsFromConfig } from "./channels-from-config.ts";
import { setContact } from "./contacts.ts";
import { deliverOutboxMessage } from "./deliver-job.ts";
import { type EscalationResult, runEscalation } from "./escalate.ts";
import type { EscalationConfig } from "./escalation-config.ts";
import { undeliveredIds } from "./outbox.ts";

export const DEMO_MAIL_DOMAIN = "demo.reglament.local";

/** A demo address for a person id (ids made e-mail safe). */
export const demoEmail = (personId: string) =>
  `${personId.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")}@${DEMO_MAIL_DOMAIN}`;

/** The escalation config the demo runs with: the configured one, or e-mail into `<outDir>/mailbox`. */
export function demoEscalationConfig(config: EscalationConfig, outDir: string): EscalationConfig {
  if (config.email) return config;
  return {
    ...config,
    email: {
      secure: false,
      from: '"Регламент (демо)" <reglament@demo.reglament.local>',
      mailbox: resolve(join(outDir, "mailbox")),
    },
  };
}

export interface DemoDelivery {
  escalation: EscalationResult;
  contacts: number;
  sent: number;
  failed: number;
  mailbox: string | null;
}

/** Gives the demo's staff contacts, escalates as of `now` and delivers every message now. */
export async function escalateDemo(
  db: Db,
  schoolId: string,
  now: Date,
  config: EscalationConfig,
  outDir: string,
): Promise<DemoDelivery> {
  const staff = await db.query<{ id: string }>(
    `SELECT key AS id FROM persons WHERE school_id = $1 AND deleted_at IS NULL
       AND role IN ('teacher', 'deputy', 'director', 'admin') ORDER BY key`,
    [schoolId],
  );
  const existing = new Set(
    (
      await db.query<{ person_id: string }>("SELECT person_id FROM contacts WHERE school_id = $1", [schoolId])
    ).map((r) => r.person_id),
  );
  let contacts = 0;
  for (const { id } of staff) {
    if (existing.has(id)) continue; // a contact someone set by hand is kept
    await setContact(db, schoolId, id, { email: demoEmail(id) });
    contacts++;
  }
  const esc = demoEscalationConfig(config, outDir);
  const channels = channelsFromConfig(esc);
  const escalation = await runEscalation(db, {
    schoolId,
    now,
    channels: Object.keys(channels) as ("email" | "telegram" | "webhook")[],
    config: esc,
  });
  let sent = 0;
  let failed = 0;
  for (const { id } of await undeliveredIds(db, schoolId)) {
    try {
      await deliverOutboxMessage(db, channels, id, { attempt: 1, attempts: 1 }, () => now);
      sent++;
    } catch {
      failed++; // the row says why (last_error); nothing personal is logged
    }
  }
  return { escalation, contacts, sent, failed, mailbox: esc.email?.mailbox ?? null };
}
