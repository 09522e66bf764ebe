import { expect } from "chai";
import { flattenParams, parsePhpParams } from "../../../src/connectors/moodle/params.ts";

describe("moodle/params", () => {
  it("flattens arrays and structures PHP-style, booleans as 1/0, nulls left out", () => {
    const flat = flattenParams({
      courseids: [5, 7],
      options: [
        { name: "limitnumber", value: 100 },
        { name: "onlyactive", value: true },
      ],
      criteria: { ids: [3] },
      includenotenrolledcourses: false,
      since: undefined,
      groupid: null,
    });
    expect(flat).to.deep.equal({
      "courseids[0]": "5",
      "courseids[1]": "7",
      "options[0][name]": "limitnumber",
      "options[0][value]": "100",
      "options[1][name]": "onlyactive",
      "options[1][value]": "1",
      "criteria[ids][0]": "3",
      includenotenrolledcourses: "0",
    });
  });

  it("reads flattened pairs back into lists and maps as PHP does", () => {
    const flat = flattenParams({
      courseids: [5, 7],
      options: [{ name: "a", value: "b" }],
      events: { courseids: [1] },
    });
    expect(parsePhpParams(Object.entries(flat))).to.deep.equal({
      courseids: ["5", "7"],
      options: [{ name: "a", value: "b" }],
      events: { courseids: ["1"] },
    });
  });
});
