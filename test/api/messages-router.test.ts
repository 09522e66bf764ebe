// What recipients read: the demo escalation delivers every digest into the local mailbox (none fails
// for want of a contact), each outbox message previews as its channel sends it, the mailbox reads back.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { escalateDemo } from "../../src/escalation/demo-delivery.ts";
import { defaultEscalationConfig } from "../../src/escalation/escalation-config.ts";
import { withSharedStore } from "../reports/builders/shared-store.ts";
import { type DemoSchool, loadDemoSchool } from "./support/demo-school.ts";
import { startPeopleApp, type TestApp, testConfig, user } from "./support/people-app.ts";

const state = {} as { demo: DemoSchool; delivery: Awaited<ReturnType<typeof escalateDemo>> };

withSharedStore(
  "messages and mailbox API on the demo school",
  async (db) => {
    state.demo = await loadDemoSchool(db);
    state.delivery = await escalateDemo(
      db,
      state.demo.schoolId,
      state.demo.observedAt,
      defaultEscalationConfig,
      state.demo.outDir,
    );
  },
  (store) => {
    let app: TestApp;
    const S = () => state.demo.schoolId;
    const deputy = () => user("deputy", [S()], null, 1);
    before(async () => {
      app = await startPeopleApp(store.db(), testConfig(state.demo.outDir), state.demo.observedAt);
    });
    after(() => app?.close());

    it("the demo delivers every message into the mailbox, none fails with no contact", async () => {
      const rows = await store
        .db()
        .query<{ status: string; last_error: string | null; n: number }>(
          "SELECT status, last_error, count(*)::int AS n FROM outbox WHERE school_id = $1 GROUP BY 1, 2",
          [S()],
        );
      expect(rows.length).to.be.greaterThan(0);
      expect(rows.filter((r) => r.last_error === "no contact")).to.deep.equal([]);
      expect(rows.map((r) => r.status)).to.deep.equal(["sent"]);
      const dir = join(state.demo.outDir, "mailbox");
      const files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
      expect(files).to.have.length(rows[0].n);
      expect(state.delivery.sent).to.equal(rows[0].n);
      expect(state.delivery.failed).to.equal(0);
      const eml = readFileSync(join(dir, files[0]), "utf8");
      expect(eml).to.match(/^To: .*@demo\.reglament\.local$/m);
    });

    it("lists the outbox with recipients' names and roles; filters by kind", async () => {
      const res = await app.call("GET", `/api/v1/schools/${S()}/messages?pageSize=500`, { as: deputy() });
      expect(res.status).to.equal(200);
      const [{ n }] = await store
        .db()
        .query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE school_id = $1", [S()]);
      expect(res.json.total).to.equal(n);
      const first = res.json.items[0];
      expect(first.recipientName).to.match(/[А-Яа-я]/);
      expect(first.recipientRoleLabel).to.be.oneOf([
        "Учитель",
        "Заместитель директора",
        "Директор",
        "Администратор",
      ]);
      const digests = await app.call("GET", `/api/v1/schools/${S()}/messages?kind=digest&pageSize=500`, {
        as: deputy(),
      });
      const [{ d }] = await store
        .db()
        .query<{ d: number }>(
          "SELECT count(*)::int AS d FROM outbox WHERE school_id = $1 AND kind = 'digest'",
          [S()],
        );
      expect(digests.json.total).to.equal(d);
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/messages?kind=<b>`, { as: deputy() })).status,
      ).to.equal(400);
    });

    it("a preview holds the finding's text as e-mail and as Telegram sends it", async () => {
      const [row] = await store
        .db()
        .query<{ id: string; violation_ids: string[] }>(
          "SELECT id, violation_ids FROM outbox WHERE school_id = $1 AND kind = 'digest' AND cardinality(violation_ids) > 0 LIMIT 1",
          [S()],
        );
      const [v] = await store
        .db()
        .query<{ message: string }>("SELECT message FROM violations WHERE id = $1", [
          Number(row.violation_ids[0]),
        ]);
      const res = await app.call(
        "GET",
        `/api/v1/schools/${S()}/messages/${encodeURIComponent(row.id)}/preview`,
        {
          as: deputy(),
        },
      );
      expect(res.status).to.equal(200);
      // the digest lists the finding by its message (without the deadline it shows itself)
      expect(res.json.email.text).to.include(v.message.slice(0, 40));
      expect(res.json.email.html).to.include(v.message.slice(0, 20));
      expect(res.json.email.subject).to.match(/[А-Яа-я]/);
      expect(res.json.telegram.text.startsWith("<b>")).to.equal(true);
      expect(res.json.telegram.text).to.include(
        v.message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").slice(0, 40),
      );
      const teacher = user("teacher", [S()], "t1", 4);
      expect(
        (
          await app.call("GET", `/api/v1/schools/${S()}/messages/${encodeURIComponent(row.id)}/preview`, {
            as: teacher,
          })
        ).status,
      ).to.equal(403);
      expect(
        (
          await app.call(
            "GET",
            `/api/v1/schools/${S()}/messages/${encodeURIComponent("../../etc/passwd")}/preview`,
            { as: deputy() },
          )
        ).status,
      ).to.equal(404);
    });

    it("the mailbox lists the delivered mail and opens one; a path in the id reads nothing", async () => {
      const list = await app.call("GET", `/api/v1/schools/${S()}/mailbox`, { as: deputy() });
      expect(list.status).to.equal(200);
      expect(list.json).to.have.length(state.delivery.sent);
      const mail = list.json[0];
      expect(mail.to).to.match(/@demo\.reglament\.local/);
      const one = await app.call("GET", `/api/v1/schools/${S()}/mailbox/${encodeURIComponent(mail.id)}`, {
        as: deputy(),
      });
      expect(one.status).to.equal(200);
      expect(one.json.headers.subject).to.equal(mail.subject);
      expect(one.json.text).to.match(/[А-Яа-я]/);
      const [row] = await store
        .db()
        .query<{ text: string }>("SELECT text FROM outbox WHERE id = $1", [mail.id]);
      expect(one.json.text.trim()).to.equal(row.text.trim());
      for (const evil of ["../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd"]) {
        const res = await app.call("GET", `/api/v1/schools/${S()}/mailbox/${encodeURIComponent(evil)}`, {
          as: deputy(),
        });
        expect(res.status, evil).to.equal(404);
      }
      expect(existsSync(join(state.demo.outDir, "mailbox"))).to.equal(true);
    });

    it("the escalation ladder and own channels", async () => {
      const ladder = await app.call("GET", `/api/v1/schools/${S()}/escalation`, { as: deputy() });
      expect(ladder.status).to.equal(200);
      expect(ladder.json.ladder[0].who).to.equal("Учитель, ответственный за запись");
      expect(ladder.json.ladder.map((l: { level: number }) => l.level)).to.deep.equal(
        [0, 1, 2, 3].slice(0, ladder.json.ladder.length),
      );
      expect(JSON.stringify(ladder.json)).to.not.match(/pass|token|secret/i);
      const teacher = user("teacher", [S()], "t-channels", 4);
      expect((await app.call("GET", "/api/v1/me/channels", { as: teacher })).json).to.deep.equal({
        email: null,
        telegramChatId: null,
      });
      const bad = await app.call("PUT", "/api/v1/me/channels", {
        as: teacher,
        body: { email: "not-an-address" },
      });
      expect(bad.status).to.equal(400);
      const put = await app.call("PUT", "/api/v1/me/channels", {
        as: teacher,
        body: { email: "me@school.example", telegramChatId: "12345" },
      });
      expect(put.json).to.deep.equal({ email: "me@school.example", telegramChatId: "12345" });
      const [c] = await store
        .db()
        .query<{ email: string }>(
          "SELECT email FROM contacts WHERE school_id = $1 AND person_id = 't-channels'",
          [S()],
        );
      expect(c.email).to.equal("me@school.example");
      const noPerson = user("deputy", [S()], null, 8);
      expect(
        (await app.call("PUT", "/api/v1/me/channels", { as: noPerson, body: { email: "x@y.ru" } })).status,
      ).to.equal(409);
    });
  },
);
