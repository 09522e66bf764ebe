// Reports, analytics, compliance, lookups and incidents on the demo school: files are generated as
// `reglament report` does and download with their Russian names; the PDF and XLSX open; the boards'
// numbers agree with the store.
import { expect } from "chai";
import ExcelJS from "exceljs";
import { withSharedStore } from "../reports/builders/shared-store.ts";
import { type DemoSchool, loadDemoSchool } from "./support/demo-school.ts";
import { startPeopleApp, type TestApp, testConfig, user } from "./support/people-app.ts";

const state = {} as { demo: DemoSchool };

withSharedStore(
  "reports, analytics, compliance, lookups and incidents API on the demo school",
  async (db) => {
    state.demo = await loadDemoSchool(db);
  },
  (store) => {
    let app: TestApp;
    const S = () => state.demo.schoolId;
    const coordinator = () => user("coordinator", [S()], null, 2);
    const deputy = () => user("deputy", [S()], null, 1);
    before(async () => {
      app = await startPeopleApp(store.db(), testConfig(state.demo.outDir), state.demo.observedAt);
    });
    after(() => app?.close());

    it("lookups: classes, subjects and periods, no pupils", async () => {
      const classes = await app.call("GET", `/api/v1/schools/${S()}/classes`, { as: coordinator() });
      expect(classes.json.map((c: { name: string }) => c.name)).to.have.length(2);
      const periods = await app.call("GET", `/api/v1/schools/${S()}/periods`, { as: coordinator() });
      expect(
        periods.json.some((p: { title: string }) => /четверть|триместр|полугодие/.test(p.title)),
      ).to.equal(true);
      const subjects = await app.call("GET", `/api/v1/schools/${S()}/subjects`, { as: coordinator() });
      expect(subjects.json.length).to.be.greaterThan(3);
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/classes`, { as: user("admin", [S()]) })).status,
      ).to.equal(403);
    });

    it("the catalogue lists every kind with its parameter schema", async () => {
      const res = await app.call("GET", `/api/v1/schools/${S()}/reports/catalog`, { as: coordinator() });
      expect(res.status).to.equal(200);
      const perf = res.json.find((k: { kind: string }) => k.kind === "performance");
      expect(perf.title).to.match(/[А-Яа-я]/);
      expect(perf.formats).to.deep.equal(["pdf", "xlsx", "csv"]);
      expect(perf.params.properties).to.have.property("periodId");
    });

    it("generates a PDF and an XLSX; they download with the Russian name and open", async () => {
      const [{ id: periodId }] = await store
        .db()
        .query<{ id: string }>(
          "SELECT key AS id FROM periods WHERE school_id = $1 AND kind <> 'year' AND end_date < $2::date ORDER BY end_date DESC LIMIT 1",
          [S(), state.demo.observedAt.toISOString().slice(0, 10)],
        );
      const pdf = await app.call("POST", `/api/v1/schools/${S()}/reports`, {
        as: coordinator(),
        body: { kind: "performance", format: "pdf", params: { periodId } },
      });
      expect(pdf.status).to.equal(201);
      expect(pdf.json.fileName).to.match(/\.pdf$/);
      const file = await app.call("GET", pdf.json.url.replace(/^\/api\/v1/, "/api/v1"), {
        as: coordinator(),
      });
      expect(file.status).to.equal(200);
      expect(file.raw.subarray(0, 4).toString()).to.equal("%PDF");
      expect(file.headers.get("content-type")).to.match(/application\/pdf/);
      const disposition = file.headers.get("content-disposition") ?? "";
      expect(disposition).to.match(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1])).to.equal(pdf.json.fileName);

      const xlsx = await app.call("POST", `/api/v1/schools/${S()}/reports`, {
        as: deputy(),
        body: { kind: "performance", format: "xlsx", params: { periodId } },
      });
      expect(xlsx.status).to.equal(201);
      const xfile = await app.call("GET", xlsx.json.url, { as: deputy() });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xfile.raw as unknown as ArrayBuffer);
      expect(book.worksheets.length).to.be.greaterThan(0);

      const list = await app.call("GET", `/api/v1/schools/${S()}/reports?kind=performance`, {
        as: coordinator(),
      });
      expect(list.json.total).to.equal(2);
      expect(list.json.items.map((f: { id: number }) => f.id)).to.have.members([pdf.json.id, xlsx.json.id]);
      // the director reads but cannot generate; another school's user gets nothing
      expect((await app.call("GET", xlsx.json.url, { as: user("director", [S()]) })).status).to.equal(200);
      expect(
        (
          await app.call("POST", `/api/v1/schools/${S()}/reports`, {
            as: user("director", [S()]),
            body: { kind: "performance", format: "pdf", params: { periodId } },
          })
        ).status,
      ).to.equal(403);
      expect(
        (
          await app.call("GET", `/api/v1/schools/other/reports/${pdf.json.id}/file`, {
            as: user("coordinator", ["other"]),
          })
        ).status,
      ).to.equal(404);
      const audit = await store
        .db()
        .query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.download'");
      expect(audit[0].n).to.equal(3);
    });

    it("bad parameters are a 400 problem; nothing is written", async () => {
      const [{ n: before }] = await store
        .db()
        .query<{ n: number }>("SELECT count(*)::int AS n FROM report_files");
      const res = await app.call("POST", `/api/v1/schools/${S()}/reports`, {
        as: coordinator(),
        body: { kind: "performance", format: "pdf", params: { periodId: "'; DROP TABLE report_files; --" } },
      });
      expect(res.status).to.equal(400);
      expect(
        (
          await app.call("POST", `/api/v1/schools/${S()}/reports`, {
            as: coordinator(),
            body: { kind: "nope", format: "pdf" },
          })
        ).status,
      ).to.equal(400);
      const [{ n: after }] = await store
        .db()
        .query<{ n: number }>("SELECT count(*)::int AS n FROM report_files");
      expect(after).to.equal(before);
    });

    it("drafts the monthly control справка; the schedule lists files and what falls due", async () => {
      const month = state.demo.observedAt.toISOString().slice(0, 7);
      const res = await app.call("POST", `/api/v1/schools/${S()}/reports/spravka`, {
        as: deputy(),
        body: { month },
      });
      expect(res.status).to.equal(201);
      const file = await app.call("GET", res.json.url, { as: deputy() });
      expect(file.raw.subarray(0, 4).toString()).to.equal("%PDF");
      const schedule = await app.call("GET", `/api/v1/schools/${S()}/reports/schedule`, {
        as: coordinator(),
      });
      expect(schedule.status).to.equal(200);
      expect(schedule.json.rules.length).to.equal(4);
      expect(schedule.json.files.map((f: { id: number }) => f.id)).to.include(res.json.id);
      expect(schedule.json.upcoming.length).to.be.greaterThan(0);
    });

    it("analytics: month-on-month series per class and subject from the marks", async () => {
      const month = state.demo.observedAt.toISOString().slice(0, 7);
      const res = await app.call("GET", `/api/v1/schools/${S()}/analytics?month=${month}&months=4`, {
        as: coordinator(),
      });
      expect(res.status).to.equal(200);
      expect(res.json.months).to.have.length(4);
      expect(res.json.months.at(-1)).to.equal(month);
      const school = res.json.series[0];
      expect(school.classId).to.equal(null);
      const filled = school.performance.filter((x: number | null) => x !== null);
      expect(filled.length).to.be.greaterThan(0);
      for (const x of [...filled, ...school.quality.filter((q: number | null) => q !== null)])
        expect(x).to.be.within(0, 100);
      expect(school.attendance.some((x: number | null) => x !== null && x > 50)).to.equal(true);
      const classRows = res.json.series.filter(
        (s: { classId: string | null; subjectId: string | null }) => s.classId && !s.subjectId,
      );
      expect(classRows).to.have.length(2);
      const one = res.json.series.find((s: { subjectId: string | null }) => s.subjectId);
      const filtered = await app.call(
        "GET",
        `/api/v1/schools/${S()}/analytics?month=${month}&months=4&class=${one.classId}&subject=${one.subjectId}`,
        { as: coordinator() },
      );
      expect(filtered.json.series[0].performance).to.deep.equal(one.performance);
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/analytics`, { as: user("teacher", [S()], "t1") }))
          .status,
      ).to.equal(403);
    });

    it("compliance: on-time shares per teacher and class match the lessons and their findings", async () => {
      const res = await app.call("GET", `/api/v1/schools/${S()}/compliance?range=month`, { as: deputy() });
      expect(res.status).to.equal(200);
      const [{ total, late }] = await store.db().query<{ total: number; late: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM violations v WHERE v.school_id = l.school_id
           AND v.entity->>'lessonId' = l.key AND v.status <> 'waived'))::int AS late
         FROM lessons l WHERE l.school_id = $1 AND l.deleted_at IS NULL AND l.day >= $2::date AND l.day <= $3::date`,
        [S(), res.json.from, res.json.to],
      );
      const sum = (rows: { onTime: number; total: number }[]) => rows.reduce((a, r) => a + r.total, 0);
      expect(sum(res.json.byClass)).to.equal(total);
      expect(res.json.byClass.reduce((a: number, r: { onTime: number }) => a + r.onTime, 0)).to.equal(
        total - late,
      );
      expect(res.json.trend.length).to.be.greaterThan(0);
      const wide = await app.call(
        "GET",
        `/api/v1/schools/${S()}/compliance?from=2025-09-01&to=${res.json.to}`,
        { as: deputy() },
      );
      expect(wide.json.topRules.length).to.be.greaterThan(0);
      expect(wide.json.topRules[0].title).to.match(/[А-Яа-я]/);
      expect(
        (
          await app.call("GET", `/api/v1/schools/${S()}/compliance?from=2025-10-01&to=2025-09-01`, {
            as: deputy(),
          })
        ).status,
      ).to.equal(400);
      expect(
        (await app.call("GET", `/api/v1/schools/${S()}/compliance`, { as: coordinator() })).status,
      ).to.equal(403);
    });

    it("incidents: the deputy records one, the changes after it are listed; the director reads only", async () => {
      const [{ teacher }] = await store
        .db()
        .query<{ teacher: string }>(
          "SELECT teacher_id AS teacher FROM lessons WHERE school_id = $1 AND teacher_id IS NOT NULL LIMIT 1",
          [S()],
        );
      const created = await app.call("POST", `/api/v1/schools/${S()}/incidents`, {
        as: deputy(),
        body: { accountId: teacher, reportedAt: "2025-12-01T09:00:00+03:00", note: "<b>пароль утёк</b>" },
      });
      expect(created.status).to.equal(201);
      expect(created.json.note).to.equal("<b>пароль утёк</b>");
      expect(created.json.changes).to.equal(created.json.items.length);
      const list = await app.call("GET", `/api/v1/schools/${S()}/incidents`, { as: user("director", [S()]) });
      expect(list.json.total).to.equal(1);
      expect(list.json.items[0].accountName).to.match(/[А-Яа-я]/);
      const one = await app.call("GET", `/api/v1/schools/${S()}/incidents/${created.json.id}`, {
        as: user("director", [S()]),
      });
      expect(one.json.id).to.equal(created.json.id);
      expect(
        (
          await app.call("POST", `/api/v1/schools/${S()}/incidents`, {
            as: user("director", [S()]),
            body: { accountId: teacher, reportedAt: "2025-12-01T09:00:00Z" },
          })
        ).status,
      ).to.equal(403);
      expect(
        (
          await app.call("POST", `/api/v1/schools/${S()}/incidents`, {
            as: deputy(),
            body: { accountId: teacher, reportedAt: "вчера" },
          })
        ).status,
      ).to.equal(400);
    });
  },
);
