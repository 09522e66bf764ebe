// Which reports fall due on which school day, and the worker that writes them.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import {
  listReportFiles,
  PERIOD_CLASS_REPORTS,
  PERIOD_SCHOOL_REPORTS,
  writePeriodReports,
} from "../../src/reports/report-files.ts";
import { dueReports, runReportJob } from "../../src/reports/schedule.ts";
import { writeDataset } from "../support/dataset-builder.ts";
import { builderSchool } from "./builders/builder-dataset.ts";
import { withSharedStore } from "./builders/shared-store.ts";

withSharedStore(
  "report schedule",
  async (db) => {
    await importDataset(db, writeDataset(builderSchool()));
  },
  (store) => {
    const kinds = async (date: string) =>
      (await dueReports(store.db(), "sch1", date)).map((j) => j.data.kind);

    it("monthly activity, справка and control figures on the last school day of the month", async () => {
      expect(await kinds("2025-10-31")).to.include.members([
        "activity",
        "control-spravka",
        "control-figures",
      ]);
      expect(await kinds("2025-10-30")).to.not.include("activity");
      const [job] = (await dueReports(store.db(), "sch1", "2025-10-31")).filter(
        (j) => j.data.kind === "activity",
      );
      expect(job).to.deep.include({ name: "report", jobId: "report:sch1:activity_2025-10" });
      expect(job.data).to.deep.equal({ schoolId: "sch1", kind: "activity", month: "2025-10" });
    });

    it("period reports on the first working day after the period ends, per class too", async () => {
      // q1 ends Friday 24.10.2025; Monday 27.10 is the first national working day after it.
      const jobs = await dueReports(store.db(), "sch1", "2025-10-27");
      const list = jobs.map((j) => `${j.data.kind}:${j.data.classId ?? ""}:${j.data.periodId ?? ""}`);
      expect(list).to.include.members([
        "performance::q1",
        "school-performance::q1",
        "class-results:5a:q1",
        "attendance-sheet:5a:q1",
      ]);
      expect(await kinds("2025-10-24")).to.not.include("performance");
    });

    it("forecast and the preliminary report ten school days before the end; parent printouts on Fridays", async () => {
      expect(await kinds("2025-10-10")).to.include.members(["forecast", "class-teacher-preliminary"]);
      expect(await kinds("2025-10-09")).to.not.include("forecast");
      expect(await kinds("2025-10-03")).to.include("parent-weekly");
      expect(await kinds("2025-10-02")).to.not.include("parent-weekly");
      expect(await kinds("2025-10-04")).to.not.include("parent-weekly");
    });

    it("a report job writes its files and lists them with their checksums", async () => {
      const out = mkdtempSync(join(tmpdir(), "reglament-reports-"));
      const [job] = (await dueReports(store.db(), "sch1", "2025-10-27")).filter(
        (j) => j.data.kind === "performance",
      );
      const files = await runReportJob(store.db(), job.data, out);
      expect(files.map((f) => f.format)).to.deep.equal(["pdf", "xlsx"]);
      const listed = await listReportFiles(store.db(), "sch1");
      for (const f of files) {
        const row = listed.find((l) => l.path === f.path);
        expect(row?.sha256).to.equal(createHash("sha256").update(readFileSync(f.path)).digest("hex"));
        expect(row?.params).to.deep.equal({ periodId: "q1" });
      }
      let error: unknown;
      try {
        await runReportJob(store.db(), { schoolId: "sch1", kind: "nope" }, out);
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(Error);
    });

    it("writePeriodReports writes every period report of the school and of each class as PDF and XLSX", async () => {
      const out = mkdtempSync(join(tmpdir(), "reglament-period-"));
      const paths = await writePeriodReports(store.db(), "sch1", "q1", out);
      expect(paths).to.have.length((PERIOD_SCHOOL_REPORTS.length + PERIOD_CLASS_REPORTS.length) * 2);
      expect(paths).to.include(
        join(out, "sch1", "Успеваемость и качество обучения, 1 четверть 2025-2026.pdf"),
      );
      expect(paths).to.include(join(out, "sch1", "Итоги успеваемости 5А, 1 четверть 2025-2026.xlsx"));
      for (const p of paths) expect(readFileSync(p).length, p).to.be.greaterThan(100);
    });
  },
);
