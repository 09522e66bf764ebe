// A small school with open violations found by the real rules engine, a real SMTP server on loopback
// (startable later on a reserved port, to play "the server is down"), and readers of what arrived.
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { importDataset } from "../../../src/dataset/import.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import { EmailChannel } from "../../../src/escalation/channels/email-channel.ts";
import { setContact } from "../../../src/escalation/contacts.ts";
import type { EscalationConfig } from "../../../src/escalation/escalation-config.ts";
import { defaultEscalationConfig } from "../../../src/escalation/escalation-config.ts";
import { runCheck } from "../../../src/rules/engine.ts";
import type { Db } from "../../../src/store/db.ts";
import { clone, tinySchool, writeDataset } from "../../support/dataset-builder.ts";
import { decodeWords, findPart, parseMime } from "./mime.ts";

export const SCHOOL = "sch1";

export const EMAILS = {
  t1: "ivanova@school.example",
  t2: "smirnov@school.example",
  d1: "kuznetsova@school.example",
  dir1: "orlov@school.example",
} as const;

/**
 * tinySchool plus a deputy and a director, and a second lesson without a topic:
 * l2 (02.10, substitute t1 — who is also the class teacher of 5А) and l3 (06.10, t2).
 */
export function escalationSchool(extraHolidays: string[] = []): Dataset {
  const ds = clone(tinySchool("2025-10-06T18:00:00+03:00"));
  ds.streams.persons.push(
    { id: "d1", role: "deputy", name: "Кузнецова Елена Викторовна" },
    { id: "dir1", role: "director", name: "Орлов Андрей Николаевич" },
  );
  ds.streams.lessons.push({
    id: "l3",
    classId: "5a",
    subjectId: "rus",
    teacherId: "t2",
    date: "2025-10-06",
    number: 1,
    start: "08:30",
    end: "09:15",
  });
  for (const date of extraHolidays) ds.streams.calendar.push({ date, kind: "holiday" });
  return ds;
}

/** Imports the school and runs the topic rule as of the observation (after the deadlines). */
export async function loadSchoolWithViolations(db: Db, ds: Dataset = escalationSchool()): Promise<void> {
  await importDataset(db, writeDataset(ds));
  await runCheck(db, SCHOOL, { asOf: new Date(ds.manifest.observedAt), rules: ["lesson.topic.late"] });
}

export async function setEmails(db: Db, ids: readonly (keyof typeof EMAILS)[]): Promise<void> {
  for (const id of ids) await setContact(db, SCHOOL, id, { email: EMAILS[id] });
}

/** Fast retries for tests. */
export function testConfig(delivery: Partial<EscalationConfig["delivery"]> = {}): EscalationConfig {
  return { ...defaultEscalationConfig, delivery: { attempts: 8, backoffMs: 100, ...delivery } };
}

export interface ArrivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

export interface Smtp {
  port: number;
  arrived: ArrivedMail[];
  /** Starts listening (for a server created down). */
  start(): Promise<void>;
  stop(): Promise<void>;
  channel(): EmailChannel;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A real SMTP server on a loopback port; `up: false` reserves the port but leaves it refusing. */
export async function smtpServer(options: { up: boolean } = { up: true }): Promise<Smtp> {
  const port = await freePort();
  const arrived: ArrivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const mime = parseMime(Buffer.concat(chunks).toString("utf8"));
        const plain = findPart(mime, "text/plain");
        arrived.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(mime.headers.get("subject") ?? ""),
          text: plain?.body ?? mime.body,
          messageId: mime.headers.get("message-id") ?? "",
        });
        callback();
      });
    },
  });
  let listening = false;
  const channels: EmailChannel[] = [];
  const smtp: Smtp = {
    port,
    arrived,
    async start() {
      server.listen(port, "127.0.0.1");
      await once(server.server, "listening");
      listening = true;
    },
    async stop() {
      for (const c of channels) c.close();
      if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    channel() {
      const c = new EmailChannel({
        host: "127.0.0.1",
        port,
        secure: false,
        from: '"Регламент" <reglament@school.example>',
        timeoutMs: 5000,
      });
      channels.push(c);
      return c;
    },
  };
  if (options.up) await smtp.start();
  return smtp;
}

/** The arrived mail sorted by recipient, for order-free assertions. */
export function byRecipient(arrived: readonly ArrivedMail[]): ArrivedMail[] {
  return [...arrived].sort((a, b) => a.to.join().localeCompare(b.to.join()));
}
