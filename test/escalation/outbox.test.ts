// Escalation end to end on the in-process queue: violations found by the rules engine → ladder →
// digests in the outbox → deliver jobs → a real SMTP server on loopback.
import { expect } from "chai";
import { setContact } from "../../src/escalation/contacts.ts";
import { deliverJobHandlers, deliverOutboxMessage } from "../../src/escalation/deliver-job.ts";
import { isLastWorkingDayOfWeek, runEscalation } from "../../src/escalation/escalate.ts";
import { getOutboxRow, listOutbox, markSending } from "../../src/escalation/outbox.ts";
import { createQueue } from "../../src/queue/create-queue.ts";
import { PermanentJobError } from "../../src/queue/errors.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import { listViolations, violationHistory } from "../../src/rules/violations.ts";
import type { Db } from "../../src/store/db.ts";
import { waitFor } from "../queue/wait.ts";
import { forEachEngine } from "../support/engines.ts";
import {
  byRecipient,
  EMAILS,
  escalationSchool,
  loadSchoolWithViolations,
  SCHOOL,
  type Smtp,
  setEmails,
  smtpServer,
  testConfig,
} from "./support/outbox-fixture.ts";

const quiet = { warn: () => undefined, error: () => undefined };
/** Thursday 09.10.2025 10:00 Moscow: l2 (02.10) is 5 working days old, l3 (06.10) 3. */
const THURSDAY = new Date("2025-10-09T10:00:00+03:00");

async function allSettled(db: Db, expected: number): Promise<void> {
  await waitFor(
    `${expected} outbox rows settled`,
    async () => {
      const rows = await listOutbox(db, { schoolId: SCHOOL });
      return rows.length === expected && rows.every((r) => r.status === "sent" || r.status === "failed");
    },
    15_000,
  );
}

forEachEngine("escalation outbox (in-process queue)", (ctx) => {
  let smtp: Smtp | undefined;
  let queue: JobQueue | undefined;

  afterEach(async () => {
    await queue?.close();
    await smtp?.stop();
    queue = undefined;
    smtp = undefined;
  });

  it("raises levels, sends one digest per person by e-mail, and a second run the same day sends nothing", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1", "dir1"]);
    smtp = await smtpServer();
    queue = createQueue(`esc-${ctx.engine}`, { logger: quiet });
    queue.process(deliverJobHandlers(db, { email: smtp.channel() }), { concurrency: 2 });

    const first = await runEscalation(db, {
      schoolId: SCHOOL,
      now: THURSDAY,
      channels: ["email"],
      config: testConfig(),
      queue,
    });
    expect(first).to.include({ openViolations: 2, escalated: 2, digests: 3, added: 3, enqueued: 3 });
    await allSettled(db, 3);

    const mail = byRecipient(smtp.arrived);
    expect(mail.map((m) => m.to.join())).to.deep.equal([EMAILS.d1, EMAILS.t1, EMAILS.t2].sort());
    const t1 = mail.find((m) => m.to[0] === EMAILS.t1)!;
    expect(t1.subject).to.equal("Электронный журнал: 2 замечания на 09.10.2025");
    expect(t1.text).to.contain("Здравствуйте, Мария Петровна!");
    expect(t1.text).to.contain("урок «Русский язык» в 5А классе 02.10.2025");
    expect(t1.text).to.contain("сведения переданы заместителю директора по УВР");
    expect(t1.messageId).to.equal(`<${encodeURIComponent("digest:sch1:t1:2025-10-09")}@reglament>`);
    const d1 = mail.find((m) => m.to[0] === EMAILS.d1)!;
    expect(d1.subject).to.equal("Электронный журнал: 1 замечание на 09.10.2025");
    expect(d1.text).to.contain("Здравствуйте, Елена Викторовна!");
    expect(d1.text).to.contain("Иванова М. П.");
    expect(d1.text).not.to.contain("06.10.2025 (1-й урок)"); // l3 is only at the class teacher yet
    const t2 = mail.find((m) => m.to[0] === EMAILS.t2)!;
    expect(t2.text).to.contain("сведения переданы классному руководителю");

    const rows = await listOutbox(db, { schoolId: SCHOOL });
    expect(rows.map((r) => r.status)).to.deep.equal(["sent", "sent", "sent"]);
    for (const r of rows) {
      expect(r.attempts).to.equal(1);
      expect(r.providerId).to.be.a("string").and.not.equal("");
      expect(r.sentAt).to.be.instanceOf(Date);
    }

    const levels = (await listViolations(db, SCHOOL)).map((v) => v.level).sort();
    expect(levels).to.deep.equal([1, 2]);

    const again = await runEscalation(db, {
      schoolId: SCHOOL,
      now: new Date("2025-10-09T16:00:00+03:00"),
      channels: ["email"],
      config: testConfig(),
      queue,
    });
    expect(again).to.include({ escalated: 0, digests: 3, added: 0, alreadyQueued: 3, enqueued: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.arrived).to.have.length(3);
    for (const v of await listViolations(db, SCHOOL)) {
      const escalations = (await violationHistory(db, v.id)).filter((e) => e.kind === "escalated");
      expect(escalations).to.have.length(1);
    }
  });

  it("stores a message for a person without contact as failed 'no contact', and delivers it once one is set", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "d1"]);
    smtp = await smtpServer();
    queue = createQueue(`esc-nc-${ctx.engine}`, { logger: quiet });
    queue.process(deliverJobHandlers(db, { email: smtp.channel() }), { concurrency: 1 });
    const run = () =>
      runEscalation(db, {
        schoolId: SCHOOL,
        now: THURSDAY,
        channels: ["email"],
        config: testConfig(),
        queue,
      });

    expect(await run()).to.include({ added: 2, noContact: 1, enqueued: 2 });
    await allSettled(db, 3);
    const t2Row = await getOutboxRow(db, "digest:sch1:t2:2025-10-09");
    expect(t2Row).to.include({ status: "failed", lastError: "no contact", channel: null });
    expect(smtp.arrived.map((m) => m.to[0]).sort()).to.deep.equal([EMAILS.d1, EMAILS.t1].sort());

    await setContact(db, SCHOOL, "t2", { email: EMAILS.t2 });
    expect(await run()).to.include({ added: 1, noContact: 0, enqueued: 1 });
    await allSettled(db, 3);
    expect(await getOutboxRow(db, "digest:sch1:t2:2025-10-09")).to.include({
      status: "sent",
      channel: "email",
    });
    expect(smtp.arrived.filter((m) => m.to[0] === EMAILS.t2)).to.have.length(1);
    expect(smtp.arrived).to.have.length(3);
  });

  it("retries while the SMTP server is down and delivers each message once when it comes up", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    smtp = await smtpServer({ up: false });
    queue = createQueue(`esc-down-${ctx.engine}`, { logger: quiet });
    queue.process(deliverJobHandlers(db, { email: smtp.channel() }), { concurrency: 3 });
    await runEscalation(db, {
      schoolId: SCHOOL,
      now: THURSDAY,
      channels: ["email"],
      config: testConfig({ attempts: 10, backoffMs: 100 }),
      queue,
    });
    await waitFor(
      "a failed try recorded",
      async () => (await listOutbox(db, { schoolId: SCHOOL })).every((r) => r.attempts >= 1 && r.lastError),
      10_000,
    );
    for (const r of await listOutbox(db, { schoolId: SCHOOL })) {
      expect(r.status).to.equal("pending");
      expect(r.lastError).to.match(/^SMTP delivery failed/);
      expect(r.lastError).not.to.contain("@"); // no address in errors
    }
    expect(smtp.arrived).to.have.length(0);

    await smtp.start();
    await allSettled(db, 3);
    const rows = await listOutbox(db, { schoolId: SCHOOL });
    expect(rows.map((r) => r.status)).to.deep.equal(["sent", "sent", "sent"]);
    expect(rows.every((r) => r.attempts >= 2)).to.equal(true);
    expect(smtp.arrived.map((m) => m.to[0]).sort()).to.deep.equal([EMAILS.d1, EMAILS.t1, EMAILS.t2].sort());
  });

  it("a job for a row already sent sends nothing; a permanent refusal fails the row without retries", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    smtp = await smtpServer();
    await runEscalation(db, { schoolId: SCHOOL, now: THURSDAY, channels: ["email"], config: testConfig() });
    const channels = { email: smtp.channel() };
    const id = "digest:sch1:t1:2025-10-09";
    expect(await deliverOutboxMessage(db, channels, id)).to.equal("sent");
    expect(await deliverOutboxMessage(db, channels, id)).to.equal("already-sent");
    expect(smtp.arrived).to.have.length(1);

    // A worker that died between claiming a row and marking it sent: the next try sends (at-least-once).
    await markSending(db, "digest:sch1:d1:2025-10-09");
    expect(await deliverOutboxMessage(db, channels, "digest:sch1:d1:2025-10-09")).to.equal("sent");
    expect(await getOutboxRow(db, "digest:sch1:d1:2025-10-09")).to.include({ status: "sent", attempts: 2 });
    expect(smtp.arrived).to.have.length(2);

    // The channel a row names is gone from the configuration: failed, not retried.
    const err = await deliverOutboxMessage(db, {}, "digest:sch1:t2:2025-10-09").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentJobError);
    expect(await getOutboxRow(db, "digest:sch1:t2:2025-10-09")).to.include({
      status: "failed",
      lastError: "channel email is not configured",
    });
  });

  it("holds messages made at 22:00 until 08:00 of the next working day", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    const wednesdayNight = new Date("2025-10-08T22:00:00+03:00");
    const r = await runEscalation(db, { schoolId: SCHOOL, now: wednesdayNight, channels: ["email"] });
    expect(r.date).to.equal("2025-10-09");
    expect(r.notBefore).to.equal("2025-10-09T05:00:00.000Z");
    for (const row of await listOutbox(db, { schoolId: SCHOOL }))
      expect(row.notBefore.toISOString()).to.equal("2025-10-09T05:00:00.000Z");
    expect(r).to.include({ digests: 2, added: 2 }); // t1 and t2; l2 reaches the deputy on Thursday
    // The morning run builds the same message ids for t1 and t2; only the deputy's rung is new.
    const morning = await runEscalation(db, { schoolId: SCHOOL, now: THURSDAY, channels: ["email"] });
    expect(morning).to.include({ digests: 3, added: 1, alreadyQueued: 2 });
    expect(await getOutboxRow(db, "digest:sch1:d1:2025-10-09")).to.include({ status: "pending" });

    const fridayNight = await runEscalation(db, {
      schoolId: SCHOOL,
      now: new Date("2025-10-10T21:30:00+03:00"),
      channels: ["email"],
    });
    expect(fridayNight.notBefore).to.equal("2025-10-13T05:00:00.000Z"); // Monday 08:00
  });

  it("counts the ladder in working days: a holiday in between delays the next rung", async () => {
    const plain = await ctx.open();
    await loadSchoolWithViolations(plain);
    const withHoliday = await ctx.open();
    await loadSchoolWithViolations(withHoliday, escalationSchool(["2025-10-08"]));
    const levelOfL2 = async (db: Db) =>
      (await listViolations(db, SCHOOL)).find((v) => v.entity.lessonId === "l2")!.level;
    expect(await levelOfL2(plain)).to.equal(1); // 2 working days after 02.10 on 06.10 (steps 2, 3, 5)

    for (const db of [plain, withHoliday])
      await runEscalation(db, { schoolId: SCHOOL, now: THURSDAY, channels: ["email"] });
    expect(await levelOfL2(plain)).to.equal(2); // 03, 06, 07, 08, 09.10: five working days
    expect(await levelOfL2(withHoliday)).to.equal(1); // 08.10 is a holiday: four
    const next = await runEscalation(withHoliday, {
      schoolId: SCHOOL,
      now: new Date("2025-10-10T10:00:00+03:00"),
      channels: ["email"],
    });
    expect(next.escalated).to.be.greaterThan(0);
    expect(await levelOfL2(withHoliday)).to.equal(2);
  });

  it("on the week's last working day adds the deputy's weekly summary", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    const thursday = await runEscalation(db, { schoolId: SCHOOL, now: THURSDAY, channels: ["email"] });
    expect(thursday.weeklySummaries).to.equal(0);
    const friday = await runEscalation(db, {
      schoolId: SCHOOL,
      now: new Date("2025-10-10T10:00:00+03:00"),
      channels: ["email"],
    });
    expect(friday.weeklySummaries).to.equal(1);
    const summary = await getOutboxRow(db, "weekly-summary:sch1:d1:2025-10-06");
    expect(summary).to.include({ kind: "weekly-summary", personId: "d1", status: "pending" });
    expect(summary!.subject).to.equal("Электронный журнал: сводка за неделю 06.10.2025–12.10.2025");
    expect(summary!.text).to.contain("Не устранено на конец недели: 2.");
  });
});

describe("escalation helpers", () => {
  it("finds the week's last working day, moved earlier by a holiday", () => {
    const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay() % 6 !== 0;
    expect(isLastWorkingDayOfWeek("2025-10-10", weekday)).to.equal(true);
    expect(isLastWorkingDayOfWeek("2025-10-09", weekday)).to.equal(false);
    expect(isLastWorkingDayOfWeek("2025-10-09", (d) => weekday(d) && d !== "2025-10-10")).to.equal(true);
    expect(isLastWorkingDayOfWeek("2025-10-11", weekday)).to.equal(false);
  });
});
