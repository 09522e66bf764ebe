import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { listPresets, loadPreset } from "../../src/rules/presets.ts";
import { RULE_IDS } from "../../src/rules/registry.ts";

const params = (preset: string, rule: string) =>
  loadPreset(preset).rules[rule].params as Record<string, unknown>;

describe("regulation presets", () => {
  it("ship one preset per source regulation plus default = 001", () => {
    expect(
      listPresets()
        .map((p) => p.id)
        .sort(),
    ).to.deep.equal(["000", "001", "002", "003", "004", "default"]);
    const d = loadPreset("default");
    const one = loadPreset("001");
    expect(d.rules).to.deep.equal(one.rules);
    expect(d.escalation).to.deep.equal(one.escalation);
    expect(loadPreset("dnevnik-ru-74").id).to.equal("004");
  });

  it("count pupils' holidays as working time unless a preset says otherwise (inherited through extends)", () => {
    expect(loadPreset("001").calendar).to.deep.equal({ vacationIsWorkingTime: true });
    expect(loadPreset("default").calendar).to.deep.equal({ vacationIsWorkingTime: true });
    const dir = mkdtempSync(join(tmpdir(), "preset-cal-"));
    const own = join(dir, "own.yaml");
    writeFileSync(own, 'id: own\ntitle: "Своё"\nextends: "001"\ncalendar:\n  vacationIsWorkingTime: false\n');
    expect(loadPreset(own).calendar).to.deep.equal({ vacationIsWorkingTime: false });
    const child = join(dir, "child.yaml");
    writeFileSync(child, `id: child\ntitle: "Дочерний"\nextends: ${JSON.stringify(own)}\n`);
    expect(loadPreset(child).calendar).to.deep.equal({ vacationIsWorkingTime: false });
  });

  it("differ where their regulations differ", () => {
    expect(params("001", "lesson.topic.late").by).to.equal("15:00");
    expect(params("004", "lesson.topic.late").by).to.equal("end-of-day");
    expect(params("001", "homework.late")).to.include({
      by: "after-last-lesson",
      minutesAfterLastLesson: 60,
    });
    expect(params("004", "homework.late").by).to.equal("end-of-day");
    expect(params("001", "mark.written.late")).to.include({ days: 5, unit: "working-days" });
    expect(params("004", "mark.written.late")).to.include({ days: 7, unit: "days" });
    expect(params("003", "period-mark.late")).to.include({ days: 4, unit: "days" });
    expect(loadPreset("001").rules["grade1.marks"].enabled).to.equal(true);
    expect(loadPreset("004").rules["grade1.marks"].enabled).to.equal(false);
    expect(loadPreset("002").rules["parents.monitoring"].enabled).to.equal(true);
    expect(loadPreset("003").rules["lesson.topic.in-advance"].enabled).to.equal(false);
    expect(Object.keys(loadPreset("000").rules).sort()).to.deep.equal([...RULE_IDS].sort());
  });

  it("cites a clause for every value (a # comment on every rule line)", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const dir = new URL("../../config/regulations/", import.meta.url);
    for (const f of readdirSync(dir)) {
      if (f === "default.yaml") continue;
      const lines = readFileSync(new URL(f, dir), "utf8").split("\n");
      const start = lines.findIndex((l) => l.startsWith("rules:"));
      for (const l of lines.slice(start + 1)) {
        if (/:\s*\S/.test(l) && !l.trim().startsWith("-") && !l.trim().startsWith("#"))
          expect(l, `${f}: ${l}`).to.match(/#\s*\S/);
      }
    }
  });

  it("errors name the file and the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "preset-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      'id: x\ntitle: x\nescalation: { steps: [1] }\nrules:\n  mark.written.late:\n    params: { days: "five" }\n',
    );
    expect(() => loadPreset(bad)).to.throw(/bad\.yaml: rules\.mark\.written\.late\.params\.days/);
    writeFileSync(bad, "id: x\ntitle: x\nescalation: { steps: [1] }\nrules:\n  no.such.rule: true\n");
    expect(() => loadPreset(bad)).to.throw(/bad\.yaml: rules\.no\.such\.rule: unknown rule/);
    expect(() => loadPreset("999")).to.throw(/no preset "999"/);
  });
});
