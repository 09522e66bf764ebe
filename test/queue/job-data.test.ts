import { expect } from "chai";
import { InvalidJobDataError, InvalidJobOptionsError, JobDataTooLargeError } from "../../src/queue/errors.ts";
import {
  resolveGroupKey,
  resolveQueueOptions,
  validateAddOptions,
  validateJobData,
  validateJobName,
} from "../../src/queue/job-data.ts";
import { MAX_JOB_DATA_BYTES } from "../../src/queue/types.ts";

describe("queue/job-data", () => {
  it("measures the limit in UTF-8 bytes of the JSON, at the exact edge", () => {
    const overhead = JSON.stringify({ note: "" }).length;
    const room = MAX_JOB_DATA_BYTES - overhead;
    const fits = "x".repeat(room % 2) + "ж".repeat(Math.floor(room / 2)); // "ж" is two bytes
    expect(Buffer.byteLength(JSON.stringify({ note: fits }))).to.equal(MAX_JOB_DATA_BYTES);
    expect(validateJobData("report", { note: fits })).to.deep.equal({ note: fits });
    const err = (() => {
      try {
        validateJobData("report", { note: `${fits}x` });
      } catch (e) {
        return e;
      }
    })();
    expect(err).to.be.instanceOf(JobDataTooLargeError);
    expect(err).to.include({
      jobName: "report",
      bytes: MAX_JOB_DATA_BYTES + 1,
      limitBytes: MAX_JOB_DATA_BYTES,
    });
  });

  it("keeps scalars, drops undefined, refuses what is not an id or a scalar", () => {
    expect(validateJobData("sync", { sourceId: "s", n: 1, b: false, u: undefined })).to.deep.equal({
      sourceId: "s",
      n: 1,
      b: false,
    });
    expect(() => validateJobData("sync", { sourceId: "" })).to.throw(InvalidJobDataError, /sourceId/);
    expect(() => validateJobData("sync", { when: new Date() })).to.throw(InvalidJobDataError, /when/);
    expect(() => validateJobData("sync", { big: 1n })).to.throw(InvalidJobDataError, /serialized/);
    expect(() => validateJobData("sync", Object.create({ inherited: 1 }))).to.throw(
      InvalidJobDataError,
      /plain/,
    );
  });

  it("validates names and options", () => {
    expect(validateJobName("sync.full-run_2")).to.equal("sync.full-run_2");
    expect(() => validateJobName("sync now")).to.throw(InvalidJobOptionsError);
    expect(validateAddOptions(undefined)).to.deep.equal({});
    expect(() => validateAddOptions({ backoffMs: 1.5 })).to.throw(InvalidJobOptionsError, /backoffMs/);
    expect(() => resolveQueueOptions({ defaultAttempts: 0 })).to.throw(
      InvalidJobOptionsError,
      /defaultAttempts/,
    );
    expect(resolveQueueOptions({})).to.include({ defaultAttempts: 3, defaultBackoffMs: 1000 });
  });

  it("groups by the explicit key, else by the source, else not at all", () => {
    expect(resolveGroupKey({ sourceId: "s1" }, { groupKey: "school:1" })).to.equal("school:1");
    expect(resolveGroupKey({ sourceId: "s1", schoolId: "1" }, {})).to.equal("s1");
    expect(resolveGroupKey({ schoolId: "1" }, {})).to.equal(undefined);
  });
});
