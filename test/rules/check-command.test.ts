import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { writeDataset } from "../support/dataset-builder.ts";
import { runCli } from "../support/run-cli.ts";
import { lesson, lessonSchool } from "./rule-tester.ts";

describe("reglament check / violations / incident", function () {
  // Five runs of the real executable, each opening the embedded store: slow on a loaded machine.
  this.timeout(400_000);

  it("checks, lists, waives and reports an incident through the real executable", async () => {
    const env = { REGLAMENT_DATA_DIR: mkdtempSync(join(tmpdir(), "rules-cli-")) };
    const ds = lessonSchool();
    ds.streams.lessons = [
      lesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined }),
      lesson({
        id: "l2",
        number: 2,
        start: "09:25",
        end: "10:10",
        topicRecordedAt: "2025-10-06T16:00:00+03:00",
      }),
    ];
    expect((await runCli(["import", writeDataset(ds)], env)).code).to.equal(0);

    const check = await runCli(
      ["check", "--format", "json", "--as-of", ds.manifest.observedAt, "--rule", "lesson.topic.late"],
      env,
    );
    expect(check.code, check.stderr).to.equal(0);
    const lines = check.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.entity.key).sort()).to.deep.equal(["l1", "l2"]);
    expect(lines[0]).to.have.keys([
      "ruleId",
      "clause",
      "entity",
      "responsibleId",
      "deadline",
      "detectedAt",
      "evidence",
      "message",
    ]);

    const open = await runCli(["violations", "list", "--status", "open", "--format", "json"], env);
    const list = open.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(list.map((v) => v.entity.key)).to.deep.equal(["l1"]); // l2's late topic is there: resolved at once
    const waive = await runCli(
      ["violations", "waive", String(list[0].id), "--reason", "сбой", "--by", "dep1"],
      env,
    );
    expect(waive.stdout).to.contain("waived");
    const inc = await runCli(
      [
        "incident",
        "add",
        "--account",
        "t1",
        "--reported-at",
        "2025-10-06T15:30:00+03:00",
        "--format",
        "json",
      ],
      env,
    );
    expect(inc.code, inc.stderr).to.equal(0);
    const changes = inc.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(changes.map((c) => `${c.field} ${c.key}`)).to.deep.equal(["topic l2"]);
  });
});
