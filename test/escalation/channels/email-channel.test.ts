import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { expect } from "chai";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { EmailChannel } from "../../../src/escalation/channels/email-channel.ts";
import { DeliveryError, type OutgoingMessage } from "../../../src/escalation/channels/types.ts";
import { decodeWords, findPart, parseMime } from "../support/mime.ts";

interface Arrived {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

/** A real SMTP server on a random loopback port; `reject` makes RCPT TO answer with that code. */
async function startSmtp(): Promise<{
  port: number;
  arrived: Arrived[];
  reject: { code?: number };
  stop(): Promise<void>;
}> {
  const arrived: Arrived[] = [];
  const reject: { code?: number } = {};
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (reject.code === undefined) return callback();
      const error = Object.assign(new Error(`refused with ${reject.code}`), { responseCode: reject.code });
      callback(error);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const envelope = session.envelope;
        arrived.push({
          mailFrom: envelope.mailFrom === false ? "" : envelope.mailFrom.address,
          rcptTo: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    arrived,
    reject,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function digestMessage(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: "digest:school-1:t-17:2026-11-25",
    recipient: { personId: "t-17", email: "ivanova@school.example" },
    subject: "Электронный журнал: 3 замечания на 25.11.2026",
    text:
      "Здравствуйте, Ирина Петровна!\n\nТема урока не записана в день урока (п. 3.5 Положения) — 2:\n" +
      "  1. 7 «А», алгебра, урок 18.11.2026 — срок: 18.11.2026 15:00\n" +
      "  2. 7 «А», алгебра, урок 20.11.2026 — срок: 20.11.2026 15:00; сведения переданы классному руководителю",
    html: "<p>Здравствуйте, Ирина Петровна!</p>",
    meta: { schoolId: "school-1", kind: "digest" },
    ...overrides,
  };
}

describe("escalation/channels/email-channel", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let channel: EmailChannel;

  beforeEach(async () => {
    smtp = await startSmtp();
    channel = new EmailChannel({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      from: '"Регламент — школа № 5" <reglament@school.example>',
      timeoutMs: 5000,
    });
  });

  afterEach(async () => {
    channel.close();
    await smtp.stop();
  });

  it("delivers exactly the sender, recipient, subject and Cyrillic text and HTML", async () => {
    const message = digestMessage();
    const result = await channel.send(message);

    expect(smtp.arrived).to.have.length(1);
    const [mail] = smtp.arrived;
    expect(mail.mailFrom).to.equal("reglament@school.example");
    expect(mail.rcptTo).to.deep.equal(["ivanova@school.example"]);

    const parsed = parseMime(mail.raw);
    expect(decodeWords(parsed.headers.get("from")!)).to.equal(
      "Регламент — школа № 5 <reglament@school.example>",
    );
    expect(parsed.headers.get("to")).to.equal("ivanova@school.example");
    expect(decodeWords(parsed.headers.get("subject")!)).to.equal(message.subject);
    expect(parsed.headers.get("x-reglament-message-id")).to.equal(message.id);
    expect(parsed.headers.get("x-reglament-kind")).to.equal("digest");
    expect(parsed.headers.get("message-id")).to.equal(result.providerId);
    expect(result.providerId).to.equal("<digest%3Aschool-1%3At-17%3A2026-11-25@reglament>");

    expect(findPart(parsed, "text/plain")?.body).to.equal(message.text);
    expect(findPart(parsed, "text/html")?.body).to.equal(message.html);
  });

  it("sends a text-only message when there is no HTML", async () => {
    const { html: _html, ...plain } = digestMessage();
    await channel.send(plain);
    const parsed = parseMime(smtp.arrived[0].raw);
    expect(parsed.headers.get("content-type")).to.match(/^text\/plain/);
    expect(parsed.body).to.equal(plain.text);
  });

  it("a permanent SMTP refusal (550) is not retryable", async () => {
    smtp.reject.code = 550;
    const error = await channel.send(digestMessage()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({ channel: "email", retryable: false, status: 550 });
    expect(smtp.arrived).to.have.length(0);
  });

  it("a transient SMTP refusal (451) is retryable", async () => {
    smtp.reject.code = 451;
    const error = await channel.send(digestMessage()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({ retryable: true, status: 451 });
  });

  it("a server that is down is retryable, and the error does not carry the address", async () => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = new EmailChannel({
      host: "127.0.0.1",
      port: closedPort,
      secure: false,
      from: "r@school.example",
    });
    const error = await down.send(digestMessage()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({ retryable: true });
    expect((error as Error).message).not.to.contain("ivanova");
  });

  it("a recipient without an e-mail address fails at once, not retryable", async () => {
    const error = await channel
      .send(digestMessage({ recipient: { personId: "t-17", telegramChatId: "42" } }))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({ retryable: false });
    expect(smtp.arrived).to.have.length(0);
  });

  it("refuses a configuration with a user but no password", () => {
    expect(
      () => new EmailChannel({ host: "h", port: 25, secure: false, user: "u", from: "r@school.example" }),
    ).to.throw(/user and pass/);
  });
});
