// Staff contacts (personal data, 152-ФЗ): where a person can be reached. Read by the deliver job at
// send time, so a corrected address applies to messages still waiting. Never logged.
import type { z } from "zod";
import { idSchema } from "../model/records.ts";
import type { Db } from "../store/db.ts";
import { type Recipient, recipientSchema } from "./channels/types.ts";

export const contactInputSchema = recipientSchema.omit({ personId: true });
export type ContactInput = z.infer<typeof contactInputSchema>;

interface ContactRow {
  person_id: string;
  email: string | null;
  telegram_chat_id: string | null;
  webhook_url: string | null;
}

function toRecipient(r: ContactRow): Recipient {
  return {
    personId: r.person_id,
    ...(r.email === null ? {} : { email: r.email }),
    ...(r.telegram_chat_id === null ? {} : { telegramChatId: r.telegram_chat_id }),
    ...(r.webhook_url === null ? {} : { webhookUrl: r.webhook_url }),
  };
}

/**
 * Sets the given fields of a person's contact (others are kept); an empty string clears a field.
 * Validated: a malformed address is an error, never stored.
 */
export async function setContact(
  db: Db,
  schoolId: string,
  personId: string,
  input: { email?: string; telegramChatId?: string; webhookUrl?: string },
): Promise<Recipient> {
  idSchema.parse(personId);
  const given = contactInputSchema.parse(
    Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== "")),
  );
  // null both for "not given" (the flag below keeps the old value) and for "cleared".
  const value = (key: keyof typeof input) => given[key] ?? null;
  const rows = await db.query<ContactRow>(
    `INSERT INTO contacts (school_id, person_id, email, telegram_chat_id, webhook_url)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (school_id, person_id) DO UPDATE SET
       email = CASE WHEN $6 THEN EXCLUDED.email ELSE contacts.email END,
       telegram_chat_id = CASE WHEN $7 THEN EXCLUDED.telegram_chat_id ELSE contacts.telegram_chat_id END,
       webhook_url = CASE WHEN $8 THEN EXCLUDED.webhook_url ELSE contacts.webhook_url END,
       updated_at = now()
     RETURNING person_id, email, telegram_chat_id, webhook_url`,
    [
      schoolId,
      personId,
      value("email"),
      value("telegramChatId"),
      value("webhookUrl"),
      input.email !== undefined,
      input.telegramChatId !== undefined,
      input.webhookUrl !== undefined,
    ],
  );
  return toRecipient(rows[0]);
}

export async function getContact(db: Db, schoolId: string, personId: string): Promise<Recipient | undefined> {
  const rows = await db.query<ContactRow>(
    "SELECT person_id, email, telegram_chat_id, webhook_url FROM contacts WHERE school_id = $1 AND person_id = $2",
    [schoolId, personId],
  );
  return rows[0] === undefined ? undefined : toRecipient(rows[0]);
}

/** Every contact of the school, by person id. */
export async function contactsOf(db: Db, schoolId: string): Promise<Map<string, Recipient>> {
  const rows = await db.query<ContactRow>(
    "SELECT person_id, email, telegram_chat_id, webhook_url FROM contacts WHERE school_id = $1",
    [schoolId],
  );
  return new Map(rows.map((r) => [r.person_id, toRecipient(r)]));
}
