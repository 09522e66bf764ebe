// A date-only entry time (NetSchool «Дата выставления», Mark.recordedOn) as evidence: it bounds the
// entry to that day in the school's zone, so it proves a deadline missed only when the day itself is
// past the deadline's day; on the deadline's day it proves nothing either way (observations decide);
// a sync that saw the entry before its day makes the day unusable. Checked through judgeEntry with
// entryOf, as the mark rules call them.
import { expect } from "chai";
import { judgeEntry } from "../../src/rules/evidence.ts";
import { entryOf } from "../../src/rules/journal-lookup.ts";

const ZONE = "Asia/Yekaterinburg"; // +05:00
const AS_OF = new Date("2026-03-20T12:00:00+05:00");

function judge(deadline: string, row: { recordedOn: string; firstSeenAt: string; lastAbsentAt?: string }) {
  return judgeEntry(new Date(deadline), entryOf(row, ZONE), null, AS_OF);
}

describe("rules/evidence: a date-only entry time (recordedOn)", () => {
  const endOfLessonDay = "2026-03-10T23:59:59.999+05:00";

  it("a day after the deadline's day proves lateness, with the day as evidence", () => {
    const v = judge(endOfLessonDay, { recordedOn: "2026-03-11", firstSeenAt: "2026-03-12T03:00:00Z" });
    expect(v).to.deep.equal({
      status: "late",
      evidence: { kind: "platform-date", recordedOn: "2026-03-11", firstSeenAt: "2026-03-12T03:00:00Z" },
    });
  });

  it("the deadline's own day is on time for an end-of-day deadline, even when the sync saw it only later", () => {
    const v = judge(endOfLessonDay, { recordedOn: "2026-03-10", firstSeenAt: "2026-03-12T03:00:00Z" });
    expect(v.status).to.equal("on-time");
  });

  it("the deadline's day against a 15:00 deadline proves nothing; observations still can", () => {
    const at15 = "2026-03-10T15:00:00+05:00";
    expect(judge(at15, { recordedOn: "2026-03-10", firstSeenAt: "2026-03-11T03:00:00Z" }).status).to.equal(
      "unknown",
    );
    const observed = judge(at15, {
      recordedOn: "2026-03-10",
      firstSeenAt: "2026-03-10T12:30:00Z", // 17:30 local
      lastAbsentAt: "2026-03-10T11:00:00Z", // 16:00 local: after the deadline and still absent
    });
    expect(observed.status).to.equal("late");
    expect((observed as { evidence: { kind: string } }).evidence.kind).to.equal("observed-late");
  });

  it("the day is the school's: 00:30 local on the next day is still that next day", () => {
    // 2026-03-10T19:30Z is 2026-03-11 00:30 in +05:00: a date of 11 March is right and late.
    const v = judge(endOfLessonDay, { recordedOn: "2026-03-11", firstSeenAt: "2026-03-10T19:45:00Z" });
    expect(v.status).to.equal("late");
  });

  it("a sync that saw the mark before its day contradicts the day: it is not used", () => {
    const v = judge(endOfLessonDay, { recordedOn: "2026-03-15", firstSeenAt: "2026-03-10T10:00:00Z" });
    expect(v.status).to.equal("on-time"); // seen 15:00 local on the lesson day
    const unknown = judge(endOfLessonDay, { recordedOn: "2026-03-15", firstSeenAt: "2026-03-12T10:00:00Z" });
    expect(unknown.status).to.equal("unknown");
  });

  it("without the school's zone the day is not used (no guess of where a day begins)", () => {
    const entry = entryOf({ recordedOn: "2026-03-11", firstSeenAt: "2026-03-12T03:00:00Z" });
    expect(entry.recordedOn).to.equal(undefined);
  });
});
