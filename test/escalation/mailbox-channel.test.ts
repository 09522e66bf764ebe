// E-mail into a local mailbox directory: the config chooses it by `email.mailbox`, each message is one
// .eml file named by its idempotency key (a resend overwrites), readable by any mail parser.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { simpleParser } from "mailparser";
import { MailboxChannel } from "../../src/escalation/channels/mailbox-channel.ts";
import { channelsFromConfig } from "../../src/escalation/channels-from-config.ts";
import { escalationConfigSchema } from "../../src/escalation/escalation-config.ts";

describe("mailbox e-mail channel", () => {
  it("is configured by email.mailbox; an e-mail section without SMTP host or mailbox is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "reglament-mailbox-"));
    const channels = channelsFromConfig(escalationConfigSchema.parse({ email: { mailbox: dir } }), {});
    expect(channels.email).to.be.instanceOf(MailboxChannel);
    expect(escalationConfigSchema.safeParse({ email: { from: "a@b.ru" } }).success).to.equal(false);
  });

  it("writes one .eml per message, overwritten on a resend, with the Russian subject and text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reglament-mailbox-"));
    const channel = new MailboxChannel(dir, '"Регламент" <reglament@demo.reglament.local>');
    const message = {
      id: "digest:sch1:t1:2025-10-06",
      recipient: { personId: "t1", email: "t1@demo.reglament.local" },
      subject: "Замечания по журналу на 06.10.2025",
      text: "Здравствуйте!\nНе записана тема урока.",
      html: "<p>Здравствуйте!</p>",
      meta: { schoolId: "sch1", kind: "digest" as const },
    };
    await channel.send(message);
    await channel.send(message);
    const files = readdirSync(dir);
    expect(files).to.deep.equal(["digest_sch1_t1_2025-10-06.eml"]);
    const mail = await simpleParser(readFileSync(join(dir, files[0])));
    expect(mail.subject).to.equal(message.subject);
    expect(mail.text?.trim()).to.equal(message.text);
    expect(mail.html).to.include("Здравствуйте!");
    expect(JSON.stringify(mail.to)).to.include("t1@demo.reglament.local");
    let refused: unknown;
    await channel.send({ ...message, recipient: { personId: "t2" } }).catch((e) => {
      refused = e;
    });
    expect(String(refused)).to.match(/no e-mail address/);
  });
});
