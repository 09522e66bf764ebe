import { expect } from "chai";
import { parseJson, quoteUnsafeIntegers } from "../../../src/connectors/http/safe-json.ts";

describe("safe JSON parsing", () => {
  it("keeps integers beyond 2^53 exact as strings, leaves safe numbers and strings alone", () => {
    const text =
      '{"id":2421882773904846063,"neg":-9007199254740993,"small":42,"max":9007199254740991,' +
      '"f":1.5e3,"s":"2421882773904846063 in \\"text\\"","arr":[1,18446744073709551615]}';
    const v = parseJson(text, { bigIntsAsStrings: true }) as Record<string, unknown>;
    expect(v).to.deep.equal({
      id: "2421882773904846063",
      neg: "-9007199254740993",
      small: 42,
      max: 9007199254740991,
      f: 1500,
      s: '2421882773904846063 in "text"',
      arr: [1, "18446744073709551615"],
    });
    // plain JSON.parse corrupts the id: the rewrite is needed
    expect(String((JSON.parse(text) as { id: number }).id)).to.not.equal("2421882773904846063");
  });

  it("returns text without big integers unchanged", () => {
    const text = '{"a":[1,2,3],"b":"x"}';
    expect(quoteUnsafeIntegers(text)).to.equal(text);
  });
});
