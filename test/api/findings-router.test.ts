// The inbox on the demo school: filters agree with SQL, pages do not overlap, a teacher sees only
// their own findings, waive and reopen leave history, hostile strings change nothing.
import { expect } from "chai";
import { describedRoutes } from "../../src/api/openapi-registry.ts";
import { withSharedStore } from "../reports/builders/shared-store.ts";
import { loadDemoSchool } from "./support/demo-school.ts";
import { startPeopleApp, type TestApp, testConfig, user } from "./support/people-app.ts";

withSharedStore(
  "findings API on the demo school",
  async (db) => {
    state.demo = await loadDemoSchool(db);
  },
  (store) => {
    let app: TestApp;
    const S = () => state.demo.schoolId;
    const deputy = () => user("deputy", [S()], null, 1);
    const count = async (where: string, params: unknown[] = []) =>
      (
        await store
          .db()
          .query<{ n: number }>(
            `SELECT count(*)::int AS n FROM violations WHERE school_id = $1 AND ${where}`,
            [S(), ...(params as string[])],
          )
      )[0].n;

    before(async () => {
      app = await startPeopleApp(store.db(), testConfig(state.demo.outDir), state.demo.observedAt);
    });
    after(() => app?.close());

    it("lists open findings with names and evidence in Russian, total as in the store", async () => {
      const res = await app.call("GET", `/api/v1/schools/${S()}/findings?status=open&pageSize=500`, {
        as: deputy(),
      });
      expect(res.status).to.equal(200);
      expect(res.json.total).to.equal(await count("status = 'open'"));
      expect(res.json.items).to.have.length(res.json.total);
      const lesson = res.json.items.find((f: { ruleId: string }) => f.ruleId === "lesson.topic.late");
      expect(lesson, "a topic finding").to.not.equal(undefined);
      expect(lesson.teacherName)
        .to.be.a("string")
        .and.match(/[А-Яа-я]/);
      expect(lesson.className).to.match(/^\d+[А-ЯA-Z]?/);
      expect(lesson.subjectName).to.be.a("string");
      expect(lesson.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(lesson.evidenceText).to.match(/^Тема .*срок — \d{2}\.\d{2} \d{2}:\d{2}$/);
      expect(lesson.ruleTitle).to.equal("Тема урока не записана в день урока в установленный срок");
      expect(res.headers.get("etag")).to.be.a("string");
    });

    it("filters by teacher, rule and class exactly as SQL counts them", async () => {
      const [{ responsible_id: teacher }] = await store
        .db()
        .query<{ responsible_id: string }>(
          "SELECT responsible_id FROM violations WHERE school_id = $1 AND responsible_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
          [S()],
        );
      const byTeacher = await app.call(
        "GET",
        `/api/v1/schools/${S()}/findings?teacher=${teacher}&pageSize=500`,
        {
          as: deputy(),
        },
      );
      expect(byTeacher.json.total).to.equal(await count("responsible_id = $2", [teacher]));
      expect(byTeacher.json.items.every((f: { teacherId: string }) => f.teacherId === teacher)).to.equal(
        true,
      );

      const byRule = await app.call(
        "GET",
        `/api/v1/schools/${S()}/findings?rule=mark.oral.late&status=resolved`,
        {
          as: deputy(),
        },
      );
      expect(byRule.json.total).to.equal(await count("rule_id = 'mark.oral.late' AND status = 'resolved'"));
      expect(byRule.json.total).to.be.greaterThan(0);

      const [{ c }] = await store
        .db()
        .query<{ c: string }>(
          "SELECT entity->>'classId' AS c FROM violations WHERE school_id = $1 AND entity->>'classId' IS NOT NULL LIMIT 1",
          [S()],
        );
      const byClass = await app.call("GET", `/api/v1/schools/${S()}/findings?class=${c}`, { as: deputy() });
      expect(byClass.json.total).to.equal(await count("entity->>'classId' = $2", [c]));
    });

    it("pages do not overlap and cover the whole list", async () => {
      const all = await app.call("GET", `/api/v1/schools/${S()}/findings?pageSize=500`, { as: deputy() });
      const ids: number[] = [];
      for (let page = 1; page <= Math.ceil(all.json.total / 20); page++) {
        const res = await app.call("GET", `/api/v1/schools/${S()}/findings?pageSize=20&page=${page}`, {
          as: deputy(),
        });
        expect(res.json.page).to.equal(page);
        ids.push(...res.json.items.map((f: { id: number }) => f.id));
      }
      expect(new Set(ids).size).to.equal(all.json.total);
      expect(ids).to.deep.equal(all.json.items.map((f: { id: number }) => f.id));
    });

    it("sorts newest first by default, most serious first with sort=severity", async () => {
      const res = await app.call("GET", `/api/v1/schools/${S()}/findings?pageSize=500`, { as: deputy() });
      const days = res.json.items.map((f: { deadline: string }) => f.deadline.slice(0, 10));
      expect(days).to.deep.equal([...days].sort().reverse());
      const bySeverity = await app.call("GET", `/api/v1/schools/${S()}/findings?sort=severity&pageSize=500`, {
        as: deputy(),
      });
      const sev = bySeverity.json.items.map((f: { severity: number }) => f.severity);
      expect(sev).to.deep.equal([...sev].sort((a, b) => b - a));
      expect(Math.max(...sev)).to.be.greaterThan(Math.min(...sev));
    });

    it("a teacher sees only their own findings; another's id is 404", async () => {
      const [{ responsible_id: mine }] = await store
        .db()
        .query<{ responsible_id: string }>(
          "SELECT responsible_id FROM violations WHERE school_id = $1 AND responsible_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
          [S()],
        );
      const teacher = user("teacher", [S()], mine, 7);
      const res = await app.call("GET", `/api/v1/schools/${S()}/findings?pageSize=500`, { as: teacher });
      expect(res.json.total).to.equal(await count("responsible_id = $2", [mine]));
      expect(res.json.items.every((f: { teacherId: string }) => f.teacherId === mine)).to.equal(true);
      // asking for another teacher's findings yields nothing
      const [{ other }] = await store
        .db()
        .query<{ other: string }>(
          "SELECT responsible_id AS other FROM violations WHERE school_id = $1 AND responsible_id <> $2 LIMIT 1",
          [S(), mine],
        );
      const theirs = await app.call("GET", `/api/v1/schools/${S()}/findings?teacher=${other}`, {
        as: teacher,
      });
      expect(theirs.json.total).to.equal(0);
      const [{ id }] = await store
        .db()
        .query<{ id: string }>(
          "SELECT id::text AS id FROM violations WHERE school_id = $1 AND responsible_id = $2 LIMIT 1",
          [S(), other],
        );
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/findings/${id}`, { as: teacher })).status,
      ).to.equal(404);
      const facets = await app.call("GET", `/api/v1/schools/${S()}/findings/facets`, { as: teacher });
      expect(facets.json.teachers.map((t: { id: string }) => t.id)).to.deep.equal([mine]);
      const detail = await app.call("GET", `/api/v1/schools/${S()}/findings/${res.json.items[0].id}`, {
        as: teacher,
      });
      expect(detail.status).to.equal(200);
      expect(detail.json.whatToFix).to.be.a("string").and.not.equal("");
      // a teacher cannot waive
      const waive = await app.call("POST", `/api/v1/schools/${S()}/findings/${res.json.items[0].id}/waive`, {
        as: teacher,
        body: { reason: "не хочу" },
      });
      expect(waive.status).to.equal(403);
    });

    it("waive needs a reason; a hostile reason is stored as text; history shows waive and reopen", async () => {
      const open = await app.call("GET", `/api/v1/schools/${S()}/findings?status=open&pageSize=1`, {
        as: deputy(),
      });
      const id = open.json.items[0].id;
      const short = await app.call("POST", `/api/v1/schools/${S()}/findings/${id}/waive`, {
        as: deputy(),
        body: { reason: "no" },
      });
      expect(short.status).to.equal(400);
      expect(short.headers.get("content-type")).to.match(/problem\+json/);
      const director = user("director", [S()], null, 3);
      expect(
        (
          await app.call("POST", `/api/v1/schools/${S()}/findings/${id}/waive`, {
            as: director,
            body: { reason: "причина" },
          })
        ).status,
      ).to.equal(403);
      const before = await count("true");
      const reason = "'; DROP TABLE violations; -- <script>alert(1)</script>";
      const waived = await app.call("POST", `/api/v1/schools/${S()}/findings/${id}/waive`, {
        as: deputy(),
        body: { reason },
      });
      expect(waived.status).to.equal(200);
      expect(waived.json.status).to.equal("waived");
      expect(waived.json.waiveReason).to.equal(reason);
      const last = waived.json.history.at(-1);
      expect(last.kind).to.equal("waived");
      expect(last.detail.reason).to.equal(reason);
      expect(last.by).to.equal("user:deputy-1");
      expect(await count("true")).to.equal(before);
      const again = await app.call("POST", `/api/v1/schools/${S()}/findings/${id}/waive`, {
        as: deputy(),
        body: { reason: "ещё раз" },
      });
      expect(again.status).to.equal(409);

      const reopened = await app.call("POST", `/api/v1/schools/${S()}/findings/${id}/reopen`, {
        as: deputy(),
        body: {},
      });
      expect(reopened.status).to.equal(200);
      expect(reopened.json.status).to.equal("open");
      expect(reopened.json.history.map((h: { kind: string }) => h.kind).slice(-2)).to.deep.equal([
        "waived",
        "reopened",
      ]);
      const audit = await store
        .db()
        .query<{ action: string }>("SELECT action FROM audit_log WHERE target = $1 ORDER BY id", [
          `finding:${id}`,
        ]);
      expect(audit.map((a) => a.action)).to.include.members(["finding.waive", "finding.reopen"]);
    });

    it("hostile filters are harmless; another school is refused; admin reaches none of these routes", async () => {
      const q = encodeURIComponent("' OR 1=1 --");
      const res = await app.call("GET", `/api/v1/schools/${S()}/findings?q=${q}&teacher=${q}`, {
        as: deputy(),
      });
      expect(res.status).to.equal(200);
      expect(res.json.total).to.equal(0);
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/findings?sort=evil`, { as: deputy() })).status,
      ).to.equal(400);
      expect(
        (await app.call("GET", "/api/v1/schools/other-school/findings", { as: deputy() })).status,
      ).to.equal(403);
      const stranger = user("deputy", ["other-school"], null, 9);
      expect((await app.call("GET", `/api/v1/schools/${S()}/findings`, { as: stranger })).status).to.equal(
        403,
      );
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/findings/99999999`, { as: deputy() })).status,
      ).to.equal(404);
      expect((await app.call("GET", `/api/v1/schools/${S()}/findings`)).status).to.equal(401);

      const admin = user("admin", [S()], null, 5);
      const mine = describedRoutes().filter(
        (r) => !/^\/(session|sources|jobs|users|healthz|readyz)/.test(r.path),
      );
      const checked = mine.filter((r) =>
        /findings|compliance|incidents|escalation|messages|mailbox|reports|analytics|classes|subjects|periods|me\/channels/.test(
          r.path,
        ),
      );
      expect(checked.length).to.be.greaterThan(20);
      for (const r of checked) {
        const path = `/api/v1${r.path.replace(":school", S()).replace(":id", "1")}`;
        const res = await app.call(r.method.toUpperCase(), path, {
          as: admin,
          body: r.method === "get" ? undefined : {},
        });
        expect(res.status, `${r.method} ${r.path}`).to.equal(403);
      }
    });

    it("reads are written to the audit log without names", async () => {
      const rows = await store
        .db()
        .query<{ action: string; detail: unknown }>(
          "SELECT action, detail FROM audit_log WHERE action = 'findings.list'",
        );
      expect(rows.length).to.be.greaterThan(0);
      expect(JSON.stringify(rows)).to.not.match(/[А-Яа-яЁё]{3,}/);
    });
  },
);

const state = {} as { demo: Awaited<ReturnType<typeof loadDemoSchool>> };
