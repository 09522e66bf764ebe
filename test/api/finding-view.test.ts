// A finding as the console reads it: the evidence in Russian words in the school's zone, and the
// severity the inbox sorts by — the stored column of migration 015 equals severityOf for every rule.
import { expect } from "chai";
import { evidenceText, severityOf } from "../../src/api/finding-view.ts";
import { RULES } from "../../src/rules/registry.ts";
import { forEachEngine } from "../support/engines.ts";

describe("finding view: evidence in words", () => {
  const zone = "Europe/Moscow";
  const deadline = "2025-09-16T12:00:00.000Z"; // 15:00 in Moscow
  it("a topic seen late by the sync", () => {
    const text = evidenceText(
      "lesson.topic.late",
      { kind: "observed-late", lastAbsentAt: "2025-09-16T15:00:00Z", firstSeenAt: "2025-09-17T06:00:00Z" },
      deadline,
      zone,
    );
    expect(text).to.equal(
      "Тема появилась 17.09 в 09:00 (при синхронизации; 16.09 в 18:00 её ещё не было), срок — 16.09 15:00",
    );
  });
  it("a mark's set day from the platform, without a time", () => {
    expect(
      evidenceText(
        "mark.written.late",
        { kind: "platform-date", recordedOn: "2025-09-24", firstSeenAt: "2025-09-24T10:00:00Z" },
        "2025-09-23T20:59:59.999Z",
        zone,
      ),
    ).to.equal("Отметка выставлена 24.09 (дата выставления в платформе, без времени), срок — 23.09 23:59");
  });
  it("a platform timestamp, a missing entry, a count", () => {
    expect(
      evidenceText(
        "homework.late",
        { kind: "platform-timestamp", recordedAt: "2025-09-17T06:00:00Z" },
        deadline,
        zone,
      ),
    ).to.equal("Домашнее задание появилось 17.09 в 09:00 (время платформы), срок — 16.09 15:00");
    expect(
      evidenceText(
        "attendance.not-taken",
        { kind: "missing", observedAt: "2025-09-17T06:00:00Z" },
        deadline,
        zone,
      ),
    ).to.equal("Посещаемость не записана: проверено 17.09 в 09:00, срок — 16.09 15:00");
    expect(
      evidenceText(
        "marks.accumulation",
        { kind: "count", counted: 2, required: 3, observedAt: "2025-09-17T06:00:00Z" },
        deadline,
        zone,
      ),
    ).to.equal("Записано 2 из 3 (проверено 17.09 в 09:00), срок — 16.09 15:00");
  });
});

forEachEngine("finding view: stored severity", ({ open }) => {
  it("violations.severity equals severityOf for every rule and level", async () => {
    const db = await open();
    let n = 0;
    for (const rule of RULES)
      for (const level of [0, 1, 2, 3])
        await db.query(
          `INSERT INTO violations (school_id, fingerprint, rule_id, clause, entity, deadline, detected_at, status, level,
             evidence, message, last_checked_at)
           VALUES ('s', $1, $2, 'c', '{}', now(), now(), 'open', $3, '{}', 'm', now())`,
          [`f${n++}`, rule.id, level],
        );
    const rows = await db.query<{ rule_id: string; level: number; severity: number }>(
      "SELECT rule_id, level, severity FROM violations",
    );
    expect(rows).to.have.length(RULES.length * 4);
    for (const r of rows)
      expect(r.severity, `${r.rule_id} level ${r.level}`).to.equal(severityOf(r.rule_id, r.level));
  });
});
