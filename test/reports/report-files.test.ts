// Where report files go and what they are called: each school its own folder, names a coordinator reads.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import {
  listReportFiles,
  PERIOD_CLASS_REPORTS,
  PERIOD_SCHOOL_REPORTS,
  writePeriodReports,
  writeReport,
} from "../../src/reports/report-files.ts";
import { clone, writeDataset } from "../support/dataset-builder.ts";
import { builderSchool } from "./builders/builder-dataset.ts";
import { withSharedStore } from "./builders/shared-store.ts";

/** The same school under another id and name: the same class ids, period ids and pupils' ids. */
function secondSchool() {
  const ds = clone(builderSchool());
  ds.manifest.school = { ...ds.manifest.school, id: "sch2", name: "МБОУ СОШ № 2" };
  return ds;
}

withSharedStore(
  "report files: paths and names",
  async (db) => {
    await importDataset(db, writeDataset(builderSchool()));
    await importDataset(db, writeDataset(secondSchool()));
  },
  (store) => {
    it("two schools reported into the same out dir do not collide", async () => {
      const out = mkdtempSync(join(tmpdir(), "reglament-two-schools-"));
      const one = await writePeriodReports(store.db(), "sch1", "q1", out);
      const two = await writePeriodReports(store.db(), "sch2", "q1", out);
      const count = (PERIOD_SCHOOL_REPORTS.length + PERIOD_CLASS_REPORTS.length) * 2;
      expect(one).to.have.length(count);
      expect(two).to.have.length(count);
      expect(new Set([...one, ...two]).size).to.equal(2 * count);
      for (const p of one) expect(p.startsWith(join(out, "sch1") + "/"), p).to.equal(true);
      for (const p of two) expect(p.startsWith(join(out, "sch2") + "/"), p).to.equal(true);
      // both schools' files are still there and each is listed under its own school only
      expect(readdirSync(join(out, "sch1"))).to.have.length(count);
      expect(readdirSync(join(out, "sch2"))).to.have.length(count);
      const listed = (await listReportFiles(store.db())).filter((f) => f.path.startsWith(out));
      expect(listed.filter((f) => f.schoolId === "sch1").map((f) => f.path)).to.have.members(one);
      expect(listed.filter((f) => f.schoolId === "sch2").map((f) => f.path)).to.have.members(two);
      const json = async (schoolId: string) => {
        const [file] = await writeReport(
          store.db(),
          schoolId,
          "performance",
          { periodId: "q1" },
          ["json"],
          out,
        );
        return JSON.parse(readFileSync(file.path, "utf8")).report.parameters[0].value;
      };
      expect(await json("sch1")).to.equal("МБОУ СОШ № 1");
      expect(await json("sch2")).to.equal("МБОУ СОШ № 2");
    });

    it("names files as a person reads them: the class as «5А», the period, the month, the pupil", async () => {
      const out = mkdtempSync(join(tmpdir(), "reglament-names-"));
      const name = async (kind: string, params: Record<string, string>, format: "pdf" | "xlsx" = "xlsx") => {
        const [file] = await writeReport(store.db(), "sch1", kind, params, [format], out);
        expect(existsSync(file.path)).to.equal(true);
        return basename(file.path);
      };
      expect(await name("marks-sheet", { classId: "5a", periodId: "q1" })).to.equal(
        "Ведомость успеваемости 5А, 1 четверть 2025-2026.xlsx",
      );
      expect(await name("performance", { periodId: "q1" }, "pdf")).to.equal(
        "Успеваемость и качество обучения, 1 четверть 2025-2026.pdf",
      );
      expect(await name("activity", { month: "2025-10" }, "pdf")).to.equal(
        "Активность в электронном журнале, октябрь 2025.pdf",
      );
      expect(await name("student-extract", { studentId: "s1", periodId: "q1" }, "pdf")).to.equal(
        "Выписка из электронного журнала 5А, Петров Пётр Сергеевич, 1 четверть 2025-2026.pdf",
      );
      for (const file of readdirSync(join(out, "sch1"))) {
        expect(file).to.not.match(/5-(?!\d)|5a|q1|s1|sch1/); // 2025-2026 is the year
      }
    });

    it("another report under the same readable name gets « (2)», and the same report keeps its name", async () => {
      const out = mkdtempSync(join(tmpdir(), "reglament-same-name-"));
      const write = async (params: Record<string, string>) =>
        basename((await writeReport(store.db(), "sch1", "forecast", params, ["pdf"], out))[0].path);
      const plain = await write({ classId: "5a", periodId: "q1" });
      const strict = await write({ classId: "5a", periodId: "q1", cutoffs: "2.6/3.6/4.6" });
      expect(plain).to.equal("Прогноз отметок 5А, 1 четверть 2025-2026.pdf");
      expect(strict).to.equal("Прогноз отметок 5А, 1 четверть 2025-2026 (2).pdf");
      expect(await write({ classId: "5a", periodId: "q1" })).to.equal(plain);
      expect(readdirSync(join(out, "sch1"))).to.have.length(2);
    });
  },
);
