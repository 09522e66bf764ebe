// The people's routes through the real app with real sessions on the demo school: the deputy signs
// in, filters, waives with the CSRF token (without it nothing changes), the teacher sees only their
// own findings, a file downloads, the mailbox shows what the demo delivered.
import { expect } from "chai";
import { createApiApp } from "../../src/api/app.ts";
import { createUser } from "../../src/api/users.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { escalateDemo } from "../../src/escalation/demo-delivery.ts";
import { defaultEscalationConfig } from "../../src/escalation/escalation-config.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import { withSharedStore } from "../reports/builders/shared-store.ts";
import { type DemoSchool, loadDemoSchool } from "./support/demo-school.ts";
import { Client, PASSWORD } from "./support.ts";

const state = {} as { demo: DemoSchool; teacher: string };

withSharedStore(
  "people's routes through the real app and sessions",
  async (db) => {
    state.demo = await loadDemoSchool(db);
    await escalateDemo(
      db,
      state.demo.schoolId,
      state.demo.observedAt,
      defaultEscalationConfig,
      state.demo.outDir,
    );
    const [{ id }] = await db.query<{ id: string }>(
      "SELECT responsible_id AS id FROM violations WHERE school_id = $1 AND status = 'open' AND responsible_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
      [state.demo.schoolId],
    );
    state.teacher = id;
    for (const role of ["deputy", "teacher", "coordinator"] as const)
      await createUser(db, {
        login: `${role}-demo`,
        displayName: role,
        password: PASSWORD,
        role,
        schoolIds: [state.demo.schoolId],
        personId: role === "teacher" ? id : null,
      });
  },
  (store) => {
    let base: string;
    let close: () => Promise<void>;
    const S = () => state.demo.schoolId;
    before(async () => {
      const config = loadConfig({ env: {} });
      const queue = createMemoryQueue("people-session");
      const app = createApiApp(
        {
          db: store.db(),
          config: { ...config, outDir: state.demo.outDir },
          queue,
          now: () => state.demo.observedAt,
        },
        { webDir: null },
      );
      const server = await new Promise<import("node:http").Server>((ok) => {
        const s = app.listen(0, "127.0.0.1", () => ok(s));
      });
      base = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
      close = async () => {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await queue.close();
      };
    });
    after(() => close?.());

    const signIn = async (login: string) => {
      const c = new Client(base);
      expect((await c.login(login)).status).to.equal(200);
      return c;
    };

    it("the deputy filters the inbox, waives with the CSRF token; without it nothing changes", async () => {
      const deputy = await signIn("deputy-demo");
      const list = await deputy.call(
        "GET",
        `/api/v1/schools/${S()}/findings?status=open&teacher=${state.teacher}`,
      );
      expect(list.status).to.equal(200);
      const page = list.body as { total: number; items: { id: number; teacherId: string }[] };
      expect(page.total).to.be.greaterThan(0);
      expect(page.items.every((f) => f.teacherId === state.teacher)).to.equal(true);
      const etag = list.headers.get("etag");
      const again = await deputy.call(
        "GET",
        `/api/v1/schools/${S()}/findings?status=open&teacher=${state.teacher}`,
        undefined,
        {
          headers: { "if-none-match": etag ?? "", "cache-control": "max-age=0" },
        },
      );
      expect(again.status).to.equal(304);
      const id = page.items[0].id;
      const noCsrf = await deputy.call(
        "POST",
        `/api/v1/schools/${S()}/findings/${id}/waive`,
        { reason: "урок перенесён" },
        { csrf: false },
      );
      expect(noCsrf.status).to.equal(403);
      const [{ status }] = await store
        .db()
        .query<{ status: string }>("SELECT status FROM violations WHERE id = $1", [id]);
      expect(status).to.equal("open");
      const waived = await deputy.call("POST", `/api/v1/schools/${S()}/findings/${id}/waive`, {
        reason: "урок перенесён",
      });
      expect(waived.status).to.equal(200);
      const detail = await deputy.call("GET", `/api/v1/schools/${S()}/findings/${id}`);
      const history = (detail.body as { history: { kind: string; detail: { reason?: string } }[] }).history;
      expect(history.at(-1)).to.deep.include({ kind: "waived" });
      expect(history.at(-1)?.detail.reason).to.equal("урок перенесён");
    });

    it("the teacher sees only their own findings and no one else's", async () => {
      const teacher = await signIn("teacher-demo");
      const list = await teacher.call("GET", `/api/v1/schools/${S()}/findings?pageSize=500`);
      const items = (list.body as { items: { teacherId: string }[] }).items;
      expect(items.length).to.be.greaterThan(0);
      expect(items.every((f) => f.teacherId === state.teacher)).to.equal(true);
      const [{ id }] = await store
        .db()
        .query<{ id: string }>(
          "SELECT id::text AS id FROM violations WHERE school_id = $1 AND responsible_id <> $2 LIMIT 1",
          [S(), state.teacher],
        );
      expect((await teacher.call("GET", `/api/v1/schools/${S()}/findings/${id}`)).status).to.equal(404);
      expect((await teacher.call("GET", `/api/v1/schools/${S()}/messages`)).status).to.equal(403);
    });

    it("the coordinator generates and downloads a report; the deputy reads the mailbox", async () => {
      const coordinator = await signIn("coordinator-demo");
      const month = state.demo.observedAt.toISOString().slice(0, 7);
      const created = await coordinator.call("POST", `/api/v1/schools/${S()}/reports`, {
        kind: "activity",
        format: "csv",
        params: { month },
      });
      expect(created.status).to.equal(201);
      const file = await coordinator.call("GET", (created.body as { url: string }).url);
      expect(file.status).to.equal(200);
      expect(file.headers.get("content-disposition")).to.match(/filename\*=UTF-8''/);
      const deputy = await signIn("deputy-demo");
      const mailbox = await deputy.call("GET", `/api/v1/schools/${S()}/mailbox`);
      expect((mailbox.body as unknown[]).length).to.be.greaterThan(0);
    });
  },
);
