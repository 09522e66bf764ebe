import { expect } from "chai";
import {
  countOutcomes,
  describeForecast,
  forecastPeriodMark,
  learningLevel,
  marksNeeded,
  meanMark,
  normalizeMark,
  PERIOD_MARK_CUTOFFS,
  type PeriodMarkPolicy,
  periodMarkFromMean,
  periodMarkPolicySchema,
  qualityRate,
  successRate,
} from "../../src/reports/metrics.ts";

const favour = (t: PeriodMarkPolicy["thresholds"]): PeriodMarkPolicy => ({
  thresholds: t,
  inStudentsFavour: true,
});
const strict = (t: PeriodMarkPolicy["thresholds"]): PeriodMarkPolicy => ({
  thresholds: t,
  inStudentsFavour: false,
});

describe("reports/metrics", () => {
  describe("normalizeMark", () => {
    it("reads numbers, digit strings and journal codes", () => {
      expect(normalizeMark(5)).to.equal(5);
      expect(normalizeMark("3")).to.equal(3);
      expect(normalizeMark("осв.")).to.equal("осв");
      expect(normalizeMark("Н/А")).to.equal("н/а");
      expect(normalizeMark("зачёт")).to.equal("зч");
      expect(normalizeMark(null)).to.equal(null);
      expect(normalizeMark(7)).to.equal(null);
      expect(normalizeMark("отл")).to.equal(null);
    });
  });

  describe("countOutcomes and the three rates", () => {
    // 12 students: 5,5,5 | 4,4,4 | 3,3 | 2 | н/а | осв | (no mark)
    // N = 12 − 1 exempt − 1 without a mark = 10 (н/а stays in N)
    // успеваемость = (3 + 3 + 2)·100/10 = 80
    // качество     = (3 + 3)·100/10 = 60
    // СОУ          = (3·100 + 3·64 + 2·36 + 1·16 + 1·7)/10 = (300 + 192 + 72 + 16 + 7)/10 = 587/10 = 58.7
    const marks = [5, "5", 5, 4, "4", 4, 3, 3, 2, "н/а", "осв", null];

    it("counts N without exempt and unmarked students, keeping н/а", () => {
      const c = countOutcomes(marks);
      expect(c).to.include({
        students: 12,
        exempt: 1,
        noMark: 1,
        n5: 3,
        n4: 3,
        n3: 2,
        n2: 1,
        nNotAttested: 1,
        counted: 10,
      });
    });

    it("computes успеваемость, качество and СОУ as «Сетевой город» prints them", () => {
      const c = countOutcomes(marks);
      expect(successRate(c)).to.equal(80);
      expect(qualityRate(c)).to.equal(60);
      expect(learningLevel(c)).to.be.closeTo(58.7, 1e-9);
    });

    it("gives null rates when nobody is counted", () => {
      const c = countOutcomes(["осв", null, "осв"]);
      expect(c.counted).to.equal(0);
      expect(successRate(c)).to.equal(null);
      expect(qualityRate(c)).to.equal(null);
      expect(learningLevel(c)).to.equal(null);
    });

    it("keeps pass/fail codes out of N and counts «1» as unsatisfactory", () => {
      // 5, 1, зч, нз → N = 2 (5 and 1); успеваемость = 1·100/2 = 50; СОУ = (100 + 16)/2 = 58
      const c = countOutcomes([5, 1, "зч", "нз"]);
      expect(c).to.include({ passFail: 2, n2: 1, counted: 2 });
      expect(successRate(c)).to.equal(50);
      expect(learningLevel(c)).to.equal(58);
    });

    it("a class of only н/а has N but 0 % and СОУ 7", () => {
      const c = countOutcomes(["н/а", "н/а"]);
      expect(successRate(c)).to.equal(0);
      expect(learningLevel(c)).to.equal(7);
    });
  });

  describe("meanMark", () => {
    it("averages numeric marks and skips ОСВ, ЗЧ, НЗ and н/а", () => {
      // (5 + 4 + 3 + 4)/4 = 16/4 = 4
      const marks = [5, 4, "осв", 3, "зч", "нз", "н/а", "4"].map((value) => ({ value }));
      expect(meanMark(marks)).to.equal(4);
    });

    it("counts a double mark (two records for one work) twice", () => {
      // single marks 3, 4 plus a double «5/5»: (3 + 4 + 5 + 5)/4 = 17/4 = 4.25
      expect(meanMark([{ value: 3 }, { value: 4 }, { value: 5 }, { value: 5 }])).to.equal(4.25);
    });

    it("weighs marks by their work's weight, and ignores weights on request", () => {
      // weighted: (5·2 + 3·1 + 4·1.5)/(2 + 1 + 1.5) = (10 + 3 + 6)/4.5 = 19/4.5 = 4.2222…
      // plain:    (5 + 3 + 4)/3 = 4
      const marks = [{ value: 5, weight: 2 }, { value: 3 }, { value: 4, weight: 1.5 }];
      expect(meanMark(marks)).to.be.closeTo(19 / 4.5, 1e-12);
      expect(meanMark(marks, { useWeights: false })).to.equal(4);
    });

    it("is null without numeric marks", () => {
      expect(meanMark([])).to.equal(null);
      expect(meanMark([{ value: "осв" }])).to.equal(null);
    });
  });

  describe("periodMarkFromMean", () => {
    it("applies each school's cut-offs", () => {
      // 3.55: ≥ 3.5 → «4» under 2.5/3.5/4.5; < 3.6 → «3» under 2.6/3.6/4.6 and 2.65/3.65/4.65
      expect(periodMarkFromMean(3.55, favour(PERIOD_MARK_CUTOFFS.half))).to.equal(4);
      expect(periodMarkFromMean(3.55, favour(PERIOD_MARK_CUTOFFS.sixTenths))).to.equal(3);
      expect(periodMarkFromMean(4.62, favour(PERIOD_MARK_CUTOFFS.sixTenths))).to.equal(5);
      expect(periodMarkFromMean(4.62, favour(PERIOD_MARK_CUTOFFS.sixtyFiveHundredths))).to.equal(4);
      expect(periodMarkFromMean(2.4, favour(PERIOD_MARK_CUTOFFS.half))).to.equal(2);
      expect(periodMarkFromMean(null, favour(PERIOD_MARK_CUTOFFS.half))).to.equal(null);
    });

    it("decides a mean exactly on the cut-off by the rounding parameter", () => {
      // marks 5 and 4 → 9/2 = 4.5, exactly the cut-off for «5»
      const mean = meanMark([{ value: 5 }, { value: 4 }]);
      expect(periodMarkFromMean(mean, favour(PERIOD_MARK_CUTOFFS.half))).to.equal(5);
      expect(periodMarkFromMean(mean, strict(PERIOD_MARK_CUTOFFS.half))).to.equal(4);
    });

    it("treats float noise on the cut-off as the cut-off", () => {
      // 4.6 + 0.05 is 4.6499999999999995 in binary floating point, meant as 4.65
      expect(4.6 + 0.05).to.be.below(4.65);
      expect(periodMarkFromMean(4.6 + 0.05, favour(PERIOD_MARK_CUTOFFS.sixtyFiveHundredths))).to.equal(5);
    });

    it("refuses cut-offs that do not rise", () => {
      expect(() =>
        periodMarkPolicySchema.parse({ thresholds: { 3: 3.5, 4: 3.5, 5: 4.5 }, inStudentsFavour: true }),
      ).to.throw(/rise/);
    });
  });

  describe("forecast", () => {
    const half = favour(PERIOD_MARK_CUTOFFS.half);

    it("says how many 5s or 4s lift a 3 to a 4", () => {
      // marks 3,3,4 → 10/3 = 3.33 → «3»; next «4» at 3.5
      // with k fives: (10 + 5k)/(3 + k) ≥ 3.5 ⇔ 10 + 5k ≥ 10.5 + 3.5k ⇔ 1.5k ≥ 0.5 ⇔ k ≥ 1/3 → 1
      // with k fours: (10 + 4k)/(3 + k) ≥ 3.5 ⇔ 0.5k ≥ 0.5 ⇔ k ≥ 1 → 1
      const f = forecastPeriodMark([{ value: 3 }, { value: 3 }, { value: 4 }], half);
      expect(f.mean).to.be.closeTo(10 / 3, 1e-12);
      expect(f).to.include({ mark: 3, next: 4, fivesNeeded: 1, foursNeeded: 1 });
    });

    it("needs more marks when the mean is far below", () => {
      // marks 2,2,3 → 7/3 = 2.33 → «2»; next «3» at 2.5
      // fives: (7 + 5k)/(3 + k) ≥ 2.5 ⇔ 2.5k ≥ 0.5 ⇔ k ≥ 0.2 → 1
      // fours: (7 + 4k)/(3 + k) ≥ 2.5 ⇔ 1.5k ≥ 0.5 → 1
      expect(forecastPeriodMark([{ value: 2 }, { value: 2 }, { value: 3 }], half)).to.include({
        mark: 2,
        fivesNeeded: 1,
        foursNeeded: 1,
      });
      // marks 4,4,4,4,3,3 → 22/6 = 3.67 → «4»; next «5» at 4.5
      // fives: (22 + 5k)/(6 + k) ≥ 4.5 ⇔ 22 + 5k ≥ 27 + 4.5k ⇔ 0.5k ≥ 5 ⇔ k ≥ 10
      // fours never reach 4.5 → null
      const f = forecastPeriodMark(
        [4, 4, 4, 4, 3, 3].map((value) => ({ value })),
        half,
      );
      expect(f).to.include({ mark: 4, next: 5, fivesNeeded: 10, foursNeeded: null });
    });

    it("counts one more when the cut-off must be exceeded", () => {
      // same 4,4,4,4,3,3 with strict rounding: (22 + 5k)/(6 + k) > 4.5 ⇔ k > 10 → 11
      const f = forecastPeriodMark(
        [4, 4, 4, 4, 3, 3].map((value) => ({ value })),
        strict(PERIOD_MARK_CUTOFFS.half),
      );
      expect(f.fivesNeeded).to.equal(11);
    });

    it("weighs the added marks", () => {
      // 4,4,4,4,3,3 (sum 22, weight 6) adding fives of weight 2:
      // (22 + 10k)/(6 + 2k) ≥ 4.5 ⇔ 22 + 10k ≥ 27 + 9k ⇔ k ≥ 5
      const marks = [4, 4, 4, 4, 3, 3].map((value) => ({ value }));
      expect(marksNeeded(marks, 5, 5, half, { weight: 2 })).to.equal(5);
    });

    it("agrees with periodMarkFromMean for every answer it gives", () => {
      for (const cutoffs of Object.values(PERIOD_MARK_CUTOFFS)) {
        for (const inStudentsFavour of [true, false]) {
          const policy = { thresholds: cutoffs, inStudentsFavour };
          for (let twos = 0; twos < 4; twos++) {
            for (let threes = 0; threes < 5; threes++) {
              const marks = [...Array(twos).fill(2), ...Array(threes).fill(3), 4].map((value) => ({ value }));
              const f = forecastPeriodMark(marks, policy);
              if (f.next === null || f.fivesNeeded === null) continue;
              const withK = (k: number) => [...marks, ...Array(k).fill({ value: 5 })];
              expect(periodMarkFromMean(meanMark(withK(f.fivesNeeded)), policy)).to.be.at.least(f.next);
              expect(periodMarkFromMean(meanMark(withK(f.fivesNeeded - 1)), policy)).to.be.below(f.next);
            }
          }
        }
      }
    });

    it("has nothing to forecast at «5» or without marks", () => {
      expect(forecastPeriodMark([{ value: 5 }], half)).to.include({ mark: 5, next: null, fivesNeeded: null });
      expect(forecastPeriodMark([], half)).to.include({ mean: null, mark: null, next: null });
      // no marks yet: one five makes «5» reachable towards «3»
      expect(marksNeeded([], 5, 3, half)).to.equal(1);
    });
  });

  describe("describeForecast", () => {
    const half = favour(PERIOD_MARK_CUTOFFS.half);
    it("explains the forecast in Russian with correct plurals", () => {
      // 4,4,4,4,3,3 → 22/6 = 3,67 → «4»; 10 fives to «5»; fours cannot reach 4.5
      const f = forecastPeriodMark(
        [4, 4, 4, 4, 3, 3].map((value) => ({ value })),
        half,
      );
      expect(describeForecast(f)).to.equal(
        "Средний балл 3,67, выходит «4». Чтобы выйти на «5», нужно ещё 10 отметок «5». Отметками «4» до «5» не дотянуть.",
      );
      // 3,3,4 → 3,33 → «3»; one five or one four reach «4»
      const g = forecastPeriodMark(
        [3, 3, 4].map((value) => ({ value })),
        half,
      );
      expect(describeForecast(g)).to.include("нужно ещё 1 отметка «5»");
      expect(describeForecast(forecastPeriodMark([], half))).to.equal("Отметок пока нет");
    });
  });
});
