import { expect } from "chai";
import { fillTemplate, runChecked, splitCommandTemplate } from "../../src/archive/command.ts";
import { ArchiveConfigError, CommandFailedError } from "../../src/archive/errors.ts";

describe("archive/command: templates split into argv without a shell", () => {
  it("splits on whitespace and honours quotes and backslashes", () => {
    expect(
      splitCommandTemplate(`cryptcp  -sign -thumbprint 'AB CD' "C:\\\\keys\\" x" a\\ b {in} {out}`),
    ).to.deep.equal(["cryptcp", "-sign", "-thumbprint", "AB CD", 'C:\\keys" x', "a b", "{in}", "{out}"]);
    expect(splitCommandTemplate("tool ''")).to.deep.equal(["tool", ""]);
  });

  it("rejects unterminated quotes and empty commands", () => {
    expect(() => splitCommandTemplate("tool 'open")).to.throw(ArchiveConfigError);
    expect(() => splitCommandTemplate("   ")).to.throw(ArchiveConfigError);
  });

  it("substitutes placeholders inside one argument, never creating new ones", () => {
    const argv = fillTemplate(["tool", "--in={in}", "{out}"], { in: "a b; rm -rf /", out: "$(x)" });
    expect(argv).to.deep.equal(["tool", "--in=a b; rm -rf /", "$(x)"]);
  });

  it("passes shell metacharacters through as plain bytes", async () => {
    const { stdout } = await runChecked(
      fillTemplate(splitCommandTemplate("printf %s {in}"), { in: "$HOME;`id`|x" }),
    );
    expect(stdout.toString()).to.equal("$HOME;`id`|x");
  });

  it("turns a non-zero exit into CommandFailedError with stderr", async () => {
    const error = await runChecked(["sh", "-c", "echo boom >&2; exit 3"]).catch((e) => e);
    expect(error).to.be.instanceOf(CommandFailedError);
    expect(error.exitCode).to.equal(3);
    expect(error.message).to.include("boom");
  });
});
