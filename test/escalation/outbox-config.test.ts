// The `escalation:` config section: defaults, validation, and channels built with secrets from the env.
import { expect } from "chai";
import { ChannelConfigError, channelsFromConfig } from "../../src/escalation/channels-from-config.ts";
import { pickChannel } from "../../src/escalation/escalate.ts";
import { escalationConfigSchema } from "../../src/escalation/escalation-config.ts";

describe("escalation config", () => {
  it("fills quiet hours, channel order and retries by default and refuses unknown keys", () => {
    const c = escalationConfigSchema.parse({});
    expect(c.quietHours).to.deep.equal({ from: "08:00", to: "20:00" });
    expect(c.channelOrder.deputy).to.deep.equal(["email", "telegram", "webhook"]);
    expect(c.delivery.attempts).to.be.greaterThan(1);
    expect(escalationConfigSchema.safeParse({ smtp: {} }).success).to.equal(false);
    expect(escalationConfigSchema.safeParse({ quietHours: { from: "21:00", to: "08:00" } }).success).to.equal(
      false,
    );
    expect(escalationConfigSchema.safeParse({ channelOrder: { teacher: ["sms"] } }).success).to.equal(false);
  });

  it("builds only the configured channels and names a missing secret's variable", () => {
    const c = escalationConfigSchema.parse({
      email: { host: "127.0.0.1", port: 2525, from: "r@school.example" },
      webhook: { secretEnv: "HOOK_SECRET" },
    });
    expect(() => channelsFromConfig(c, {})).to.throw(ChannelConfigError, /HOOK_SECRET/);
    const channels = channelsFromConfig(c, { HOOK_SECRET: "0123456789abcdef0123" });
    expect(Object.keys(channels).sort()).to.deep.equal(["email", "webhook"]);
  });

  it("picks the first configured channel the person has a contact for", () => {
    const contact = { personId: "t1", telegramChatId: "12345", webhookUrl: "https://x.example/h" };
    expect(pickChannel(["email", "telegram", "webhook"], ["email", "webhook"], contact)).to.equal("webhook");
    expect(pickChannel(["telegram", "webhook"], ["telegram", "webhook"], contact)).to.equal("telegram");
    expect(pickChannel(["email"], ["email"], contact)).to.equal(null);
    expect(pickChannel(["email"], ["email"], undefined)).to.equal(null);
  });
});
