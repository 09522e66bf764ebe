import { expect } from "chai";
import { deriveSeed, Rng } from "../../src/demo/random.ts";

describe("demo/random", () => {
  it("repeats a sequence for a seed and differs for another", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).to.deep.equal(sa);
    expect(Array.from({ length: 20 }, () => c.next())).to.not.deep.equal(sa);
    expect(deriveSeed(1, "x", 2)).to.equal(deriveSeed(1, "x", 2));
    expect(deriveSeed(1, "x", 2)).to.not.equal(deriveSeed(1, "x2"));
  });

  it("stays in range and is roughly uniform", () => {
    const rng = new Rng(7);
    const counts = [0, 0, 0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 50_000; i++) {
      const v = rng.int(1, 5);
      if (v < 1 || v > 5 || !Number.isInteger(v)) outside++;
      else counts[v - 1]++;
    }
    expect(outside).to.equal(0);
    for (const n of counts) expect(n).to.be.within(9_000, 11_000);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.02)) hits++;
    expect(hits).to.be.within(1_700, 2_300);
    const sample = rng.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(sample).size).to.equal(4);
  });
});
