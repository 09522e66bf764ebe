import { expect } from "chai";
import {
  escapeTelegramHtml,
  renderTelegramHtml,
  TELEGRAM_TEXT_LIMIT,
  TelegramChannel,
} from "../../../src/escalation/channels/telegram-channel.ts";
import { DeliveryError, type OutgoingMessage } from "../../../src/escalation/channels/types.ts";
import nock from "../../connectors/helpers/nock.ts";

const TOKEN = "123456:AAH-test_token";
const BASE = "https://tg.test.local";

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: "digest:school-1:ct-3:2026-11-25",
    recipient: { personId: "ct-3", telegramChatId: "-1001234567890" },
    subject: "Электронный журнал: 2 замечания на 25.11.2026",
    text: "Тема урока не записана <в день урока> & позже срока — 2:\n  1. 7 «А», алгебра",
    meta: { schoolId: "school-1", kind: "digest" },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(DeliveryError);
  return error as DeliveryError;
}

describe("escalation/channels/telegram-channel", () => {
  const channel = new TelegramChannel({ botToken: TOKEN, apiBaseUrl: BASE, timeoutMs: 2000 });

  before(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it("posts chat_id, HTML-escaped text and parse_mode to sendMessage", async () => {
    let sent: unknown;
    const scope = nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`, (body) => {
        sent = body;
        return true;
      })
      .reply(200, { ok: true, result: { message_id: 777, chat: { id: -1001234567890 } } });

    const result = await channel.send(message());

    scope.done();
    expect(sent).to.deep.equal({
      chat_id: -1001234567890,
      text:
        "<b>Электронный журнал: 2 замечания на 25.11.2026</b>\n\n" +
        "Тема урока не записана &lt;в день урока&gt; &amp; позже срока — 2:\n  1. 7 «А», алгебра",
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
    expect(result).to.deep.equal({ providerId: "777" });
  });

  it("sends an @channel username as a string", async () => {
    let chatId: unknown;
    nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`, (body) => {
        chatId = body.chat_id;
        return true;
      })
      .reply(200, { ok: true, result: { message_id: 1 } });
    await channel.send(message({ recipient: { personId: "d-1", telegramChatId: "@school5_uvr" } }));
    expect(chatId).to.equal("@school5_uvr");
  });

  it("429 with parameters.retry_after → retryable with retryAfter", async () => {
    nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`)
      .reply(429, {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 17",
        parameters: { retry_after: 17 },
      });
    const error = await failure(channel.send(message()));
    expect(error).to.include({ channel: "telegram", retryable: true, status: 429, retryAfter: 17 });
  });

  it("400 (chat not found) → not retryable", async () => {
    nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`)
      .reply(400, { ok: false, error_code: 400, description: "Bad Request: chat not found" });
    const error = await failure(channel.send(message()));
    expect(error).to.include({ retryable: false, status: 400 });
    expect(error.retryAfter).to.equal(undefined);
    expect(error.message).to.contain("chat not found");
  });

  it("403 (bot blocked by the user) → not retryable", async () => {
    nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`)
      .reply(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await failure(channel.send(message()))).to.include({ retryable: false, status: 403 });
  });

  it("5xx → retryable", async () => {
    nock(BASE).post(`/bot${TOKEN}/sendMessage`).reply(502, "<html>Bad Gateway</html>");
    expect(await failure(channel.send(message()))).to.include({ retryable: true, status: 502 });
  });

  it("a network failure → retryable, and the error never shows the bot token", async () => {
    nock(BASE)
      .post(`/bot${TOKEN}/sendMessage`)
      .replyWithError(
        Object.assign(new Error(`connect ECONNRESET ${BASE}/bot${TOKEN}`), { code: "ECONNRESET" }),
      );
    const error = await failure(channel.send(message()));
    expect(error.retryable).to.equal(true);
    expect(error.message).to.contain("ECONNRESET");
    expect(error.message).not.to.contain(TOKEN);
    expect(error.cause).to.equal(undefined);
  });

  it("a recipient without a chat id fails at once, not retryable", async () => {
    const error = await failure(
      channel.send(message({ recipient: { personId: "t-1", email: "t@school.example" } })),
    );
    expect(error.retryable).to.equal(false);
  });

  it("refuses a malformed bot token", () => {
    expect(() => new TelegramChannel({ botToken: "not a token" })).to.throw(/bot token/);
  });

  it("escapes only what parse_mode HTML needs and cuts an over-long text at a line boundary", () => {
    expect(escapeTelegramHtml(`a<b>&"c"`)).to.equal(`a&lt;b&gt;&amp;"c"`);
    const lines = Array.from(
      { length: 400 },
      (_, i) => `  ${i + 1}. 7 «А», алгебра, урок — срок: 18.11.2026 15:00`,
    );
    const html = renderTelegramHtml("Тема", lines.join("\n"));
    const visible = html.replace(/<\/?b>/g, "");
    expect(visible.length).to.be.at.most(TELEGRAM_TEXT_LIMIT);
    expect(visible).to.contain("Сообщение сокращено");
    const kept = visible.split("\n").filter((l) => /^ {2}\d+\./.test(l));
    expect(kept.length).to.be.greaterThan(10).and.lessThan(400);
    expect(lines).to.include(kept[kept.length - 1]);
  });
});
