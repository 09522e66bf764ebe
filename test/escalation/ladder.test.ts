import { expect } from "chai";
import { escalationLevel, LEVEL, recipientsFor } from "../../src/escalation/ladder.ts";
import { workingDays, workingDaysBetween } from "./support/calendar.ts";

// November 2026: Mon 2, Tue 3, Wed 4 (holiday), Thu 5, Fri 6, Mon 9 …
const between = workingDaysBetween(workingDays(5, ["2026-11-04"]));
const STEPS = [2, 3, 5]; // 2 working days at the teacher, 3 more at the class teacher, 5 more at the deputy

describe("escalation/ladder", () => {
  describe("escalationLevel", () => {
    const level = (today: string, steps: number[] = STEPS) =>
      escalationLevel("2026-11-02", today, steps, between);

    it("stays with the teacher until the first step is used up, skipping the holiday", () => {
      expect(level("2026-11-02")).to.equal(LEVEL.teacher);
      expect(level("2026-11-03")).to.equal(LEVEL.teacher); // 1 working day
      expect(level("2026-11-04")).to.equal(LEVEL.teacher); // holiday: still 1
      expect(level("2026-11-05")).to.equal(LEVEL.classTeacher); // 2 working days
    });

    it("goes up exactly at each step edge", () => {
      // Working days after 2 Nov: 3, 5, 6, 9, 10, 11, 12, 13, 16, 17 → 10th is 17 Nov.
      expect(level("2026-11-09")).to.equal(LEVEL.classTeacher); // 4
      expect(level("2026-11-10")).to.equal(LEVEL.deputy); // 5 = 2 + 3
      expect(level("2026-11-16")).to.equal(LEVEL.deputy); // 9
      expect(level("2026-11-17")).to.equal(LEVEL.director); // 10 = 2 + 3 + 5
      expect(level("2027-03-01")).to.equal(LEVEL.director); // never beyond the top
    });

    it("a weekend adds nothing", () => {
      expect(level("2026-11-07")).to.equal(level("2026-11-06"));
      expect(level("2026-11-08")).to.equal(level("2026-11-06"));
    });

    it("a shorter ladder stops at its last rung; a zero step goes up at once", () => {
      expect(level("2027-03-01", [1])).to.equal(LEVEL.classTeacher);
      expect(level("2026-11-02", [0, 1])).to.equal(LEVEL.classTeacher);
      expect(level("2026-11-03", [0, 1])).to.equal(LEVEL.deputy);
      expect(level("2027-03-01", [])).to.equal(LEVEL.teacher);
    });

    it("refuses bad steps and bad dates", () => {
      expect(() => level("2026-11-05", [1, 1, 1, 1])).to.throw(RangeError);
      expect(() => level("2026-11-05", [1.5])).to.throw(RangeError);
      expect(() => level("2026-11-05", [-1])).to.throw(RangeError);
      expect(() => escalationLevel("2026-02-30", "2026-03-02", STEPS, between)).to.throw();
    });
  });

  describe("recipientsFor", () => {
    const people = { teacherId: "t", classTeacherId: "ct", deputyIds: ["d1", "d2"], directorIds: ["dir"] };

    it("is cumulative: each level keeps the lower rungs (the class teacher informs the deputy, 001 §3.4)", () => {
      expect(recipientsFor(0, people)).to.deep.equal(["t"]);
      expect(recipientsFor(1, people)).to.deep.equal(["t", "ct"]);
      expect(recipientsFor(2, people)).to.deep.equal(["t", "ct", "d1", "d2"]);
      expect(recipientsFor(3, people)).to.deep.equal(["t", "ct", "d1", "d2", "dir"]);
    });

    it("names a person once, and skips a missing class teacher", () => {
      expect(recipientsFor(2, { ...people, classTeacherId: "t" })).to.deep.equal(["t", "d1", "d2"]);
      expect(recipientsFor(3, { ...people, deputyIds: ["dir"] })).to.deep.equal(["t", "ct", "dir"]);
      const { classTeacherId: _ct, ...schoolWide } = people;
      expect(recipientsFor(1, schoolWide)).to.deep.equal(["t"]);
      expect(recipientsFor(2, schoolWide)).to.deep.equal(["t", "d1", "d2"]);
    });

    it("refuses a level outside 0–3", () => {
      expect(() => recipientsFor(4, people)).to.throw(RangeError);
      expect(() => recipientsFor(-1, people)).to.throw(RangeError);
    });
  });
});
