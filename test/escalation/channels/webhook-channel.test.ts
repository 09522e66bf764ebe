import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { DeliveryError, type OutgoingMessage } from "../../../src/escalation/channels/types.ts";
import { verifyWebhookSignature, WebhookChannel } from "../../../src/escalation/channels/webhook-channel.ts";

const SECRET = "s3cret-shared-with-the-school-erp";

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A local receiver answering each request with the next queued status (200 when the queue is empty). */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  replies: { status: number; headers?: Record<string, string> }[];
  server: Server;
}> {
  const received: Received[] = [];
  const replies: { status: number; headers?: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", headers: req.headers, raw: Buffer.concat(chunks) });
      const reply = replies.shift() ?? { status: 200, headers: { "X-Request-Id": "erp-42" } };
      res.writeHead(reply.status, reply.headers).end("{}");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/reglament`, received, replies, server };
}

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: "weekly-summary:school-1:d-1:2026-11-23",
    recipient: { personId: "d-1" },
    subject: "Электронный журнал: сводка за неделю 23.11.2026–29.11.2026",
    text: "Не устранено на конец недели: 4. Новых за неделю: 2. Устранено за неделю: 1.",
    meta: { schoolId: "school-1", kind: "weekly-summary" },
    ...overrides,
  };
}

describe("escalation/channels/webhook-channel", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const fixedNow = new Date("2026-11-27T09:30:00Z");

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => {
    receiver.server.closeAllConnections();
    receiver.server.close();
  });

  it("POSTs JSON signed with HMAC-SHA256 of the raw body, with timestamp and idempotency key", async () => {
    const channel = new WebhookChannel({ url: receiver.url, secret: SECRET }, { now: () => fixedNow });
    const result = await channel.send(message());

    expect(result).to.deep.equal({ providerId: "erp-42" });
    expect(receiver.received).to.have.length(1);
    const [req] = receiver.received;
    expect(req.method).to.equal("POST");
    expect(req.headers["content-type"]).to.match(/^application\/json/);

    // Checked independently of the module: the receiver's own HMAC over the bytes it got.
    const expected = `sha256=${createHmac("sha256", SECRET).update(req.raw).digest("hex")}`;
    expect(req.headers["x-reglament-signature"]).to.equal(expected);
    expect(verifyWebhookSignature(req.raw, req.headers["x-reglament-signature"] as string, SECRET)).to.equal(
      true,
    );
    expect(req.headers["x-reglament-timestamp"]).to.equal(String(fixedNow.getTime() / 1000));
    expect(req.headers["idempotency-key"]).to.equal("weekly-summary:school-1:d-1:2026-11-23");

    expect(JSON.parse(req.raw.toString("utf8"))).to.deep.equal({
      id: "weekly-summary:school-1:d-1:2026-11-23",
      kind: "weekly-summary",
      schoolId: "school-1",
      personId: "d-1",
      subject: "Электронный журнал: сводка за неделю 23.11.2026–29.11.2026",
      text: "Не устранено на конец недели: 4. Новых за неделю: 2. Устранено за неделю: 1.",
      timestamp: fixedNow.getTime() / 1000,
    });
  });

  it("a signature made with another secret or over a changed body does not verify", async () => {
    await new WebhookChannel({ url: receiver.url, secret: SECRET }).send(message());
    const [req] = receiver.received;
    const header = req.headers["x-reglament-signature"] as string;
    expect(verifyWebhookSignature(req.raw, header, "another-secret-of-16+")).to.equal(false);
    const tampered = Buffer.from(req.raw.toString("utf8").replace("4.", "0."));
    expect(verifyWebhookSignature(tampered, header, SECRET)).to.equal(false);
    expect(verifyWebhookSignature(req.raw, undefined, SECRET)).to.equal(false);
  });

  it("a recipient's own webhook URL takes precedence over the channel's", async () => {
    const other = await startReceiver();
    try {
      const channel = new WebhookChannel({ url: receiver.url, secret: SECRET });
      await channel.send(message({ recipient: { personId: "d-1", webhookUrl: other.url } }));
      expect(other.received).to.have.length(1);
      expect(receiver.received).to.have.length(0);
    } finally {
      other.server.close();
    }
  });

  it("classifies answers: 5xx and 429 retryable (with Retry-After), other 4xx not, 3xx not followed", async () => {
    const channel = new WebhookChannel({ url: receiver.url, secret: SECRET });
    receiver.replies.push(
      { status: 503 },
      { status: 429, headers: { "Retry-After": "120" } },
      { status: 422 },
      { status: 301, headers: { Location: "http://127.0.0.1:1/elsewhere" } },
    );
    const outcomes: DeliveryError[] = [];
    for (let i = 0; i < 4; i++)
      outcomes.push((await channel.send(message()).catch((e: unknown) => e)) as DeliveryError);
    for (const e of outcomes) expect(e).to.be.instanceOf(DeliveryError);
    expect(outcomes.map((e) => [e.status, e.retryable, e.retryAfter])).to.deep.equal([
      [503, true, undefined],
      [429, true, 120],
      [422, false, undefined],
      [301, false, undefined],
    ]);
    expect(receiver.received).to.have.length(4);
  });

  it("an endpoint that is down is retryable", async () => {
    const { url } = receiver;
    receiver.server.close();
    await once(receiver.server, "close");
    const error = await new WebhookChannel({ url, secret: SECRET }).send(message()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeliveryError);
    expect(error).to.include({ channel: "webhook", retryable: true });
  });

  it("no URL anywhere → not retryable; a short secret is refused", async () => {
    const error = await new WebhookChannel({ secret: SECRET }).send(message()).catch((e: unknown) => e);
    expect(error).to.include({ retryable: false });
    expect(() => new WebhookChannel({ url: receiver.url, secret: "short" })).to.throw(/at least 16/);
  });
});
