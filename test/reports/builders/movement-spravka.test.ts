// Reports drawn from evidence beyond the live journal: movement from what two observations saw,
// the deputy's справка from the violations table.
import { expect } from "chai";
import { importDataset } from "../../../src/dataset/import.ts";
import { buildReport } from "../../../src/reports/catalog.ts";
import { renderReport } from "../../../src/reports/render.ts";
import { clone, writeDataset } from "../../support/dataset-builder.ts";
import { inspectPdf } from "../pdf-inspect.ts";
import { builderSchool } from "./builder-dataset.ts";
import { withSharedStore } from "./shared-store.ts";

withSharedStore(
  "report builders: movement and справка",
  async (db) => {
    const first = builderSchool();
    await importDataset(db, writeDataset(first));
    // A week later s4 has left and s8 has arrived.
    const later = clone(first);
    later.manifest.observedAt = "2025-10-13T18:00:00+03:00";
    later.streams.persons = later.streams.persons.filter((p) => p.id !== "s4");
    later.streams.persons.push({ id: "s8", role: "student", name: "Фёдоров Кирилл Ильич", classId: "5a" });
    later.streams.periodMarks = later.streams.periodMarks.filter((p) => p.studentId !== "s4");
    await importDataset(db, writeDataset(later));
    const v = (fp: string, rule: string, who: string | null, deadline: string, status: string) =>
      db.query(
        `INSERT INTO violations (school_id, fingerprint, rule_id, clause, entity, responsible_id, deadline, detected_at,
           status, evidence, message, last_checked_at)
         VALUES ('sch1', $1, $2, '001 §3.5', '{"kind":"lesson","key":"l1"}', $3, $4, $4, $5, '{}', 'замечание', $4)`,
        [fp, rule, who, deadline, status],
      );
    await v("a", "lesson.topic.late", "t1", "2025-10-01T15:00:00+03:00", "open");
    await v("b", "lesson.topic.late", "t1", "2025-10-08T15:00:00+03:00", "resolved");
    await v("c", "homework.late", "t2", "2025-10-09T15:00:00+03:00", "open");
    await v("d", "homework.late", "t2", "2025-11-03T15:00:00+03:00", "open"); // another month
  },
  (store) => {
    it("movement: arrivals and departures the syncs observed, start and end of the period", async () => {
      const r = await buildReport(store.db(), "sch1", "movement", { periodId: "q1" });
      const row = r.sections[0].tables?.[0].rows.find((x) => x.class === "5А");
      expect(row).to.include({ start: 7, arrived: 1, left: 1, end: 7 });
      const events = r.sections[1].tables?.[0].rows ?? [];
      expect(events).to.deep.include({
        class: "5А",
        student: "Фёдоров Кирилл Ильич",
        event: "прибыл(а)",
        when: "2025-10-13",
      });
      expect(events).to.deep.include({
        class: "5А",
        student: "Морозова Дарья Игоревна",
        event: "выбыл(а)",
        when: "2025-10-13",
      });
    });

    it("справка: findings of the month by rule and teacher, violations by week, proposals", async () => {
      const r = await buildReport(store.db(), "sch1", "control-spravka", { month: "2025-10" });
      const byRule = r.sections.find((s) => s.heading === "Замечания по видам нарушений")?.tables?.[0];
      expect(byRule?.totalsRow).to.include({ count: 3, open: 2, resolved: 1 });
      const byTeacher = r.sections.find((s) => s.heading === "Замечания по учителям")?.tables?.[0].rows ?? [];
      expect(byTeacher[0]).to.include({ teacher: "Иванова Мария Петровна", count: 2, open: 1 });
      const chart = r.sections.find((s) => s.chart)?.chart;
      expect(chart?.series[0].values).to.deep.equal([1, 2, 0, 0, 0]); // weeks from 29.09 to 27.10
      const proposals = r.sections.find((s) => s.heading === "Предложения")?.paragraphs ?? [];
      expect(proposals.join(" ")).to.contain("Смирнов Олег Ильич: устранить 1 замечание");
      expect(proposals.at(-1)).to.contain("Орлова Нина Васильевна");
      const text = (await inspectPdf(await renderReport(r, "pdf"))).map((p) => p.text).join(" ");
      for (const needle of [
        "Цель проверки",
        "Замечания",
        "Предложения",
        "Иванова Мария Петровна",
        "Выявлено 3 нарушения",
      ])
        expect(text).to.contain(needle);
    });
  },
);
