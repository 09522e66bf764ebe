import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ToolMissingError } from "../../src/archive/errors.ts";
import { parsePreflightXml, validatePdfA1b } from "../../src/archive/pdfa.ts";
import { requireTool } from "../support/system-tools.ts";
import { writePdfA1b, writePlainPdf } from "./support/pdfa-builder.ts";

describe("archive/pdfa: PDF/A-1b validation with PDFBox Preflight", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-pdfa-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts a pdfkit PDF/A-1b with embedded PT Sans and Cyrillic text", async function () {
    requireTool(this, "preflight");
    const file = join(dir, "journal.pdf");
    await writePdfA1b(file, ["Журнал 5А класса", "Тема урока: «Дроби»"]);
    const result = await validatePdfA1b(file);
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it("rejects a plain pdf-lib PDF and names the failed clauses", async function () {
    requireTool(this, "preflight");
    const file = join(dir, "plain.pdf");
    await writePlainPdf(file);
    const result = await validatePdfA1b(file);
    expect(result.valid).to.equal(false);
    expect(result.errors.some((e) => e.startsWith("1.4.1"))).to.equal(true, result.errors.join("\n"));
    expect(result.errors.some((e) => e.startsWith("7.1"))).to.equal(true, result.errors.join("\n"));
  });

  it("rejects a file that is not a PDF at all", async function () {
    requireTool(this, "preflight");
    const file = join(dir, "junk.pdf");
    await writeFile(file, "not a pdf\n");
    const result = await validatePdfA1b(file);
    expect(result.valid).to.equal(false);
    expect(result.errors.length).to.be.greaterThan(0);
  });

  it("says clearly which packages to install when Preflight is missing", async () => {
    const file = join(dir, "journal-for-missing-tools.pdf"); // its own file: the tests above may be skipped
    await writePdfA1b(file, ["Журнал 5А класса"]);
    const error = await validatePdfA1b(file, { classpath: ["/nonexistent/preflight.jar"] }).catch((e) => e);
    expect(error).to.be.instanceOf(ToolMissingError);
    expect(error.message).to.include("libpdfbox2-java");
    const noJava = await validatePdfA1b(file, { java: "/nonexistent/java" }).catch((e) => e);
    expect(noJava).to.be.instanceOf(ToolMissingError);
    expect(noJava.userMessage).to.include("default-jre-headless");
  });

  it("parses entities in the XML report", () => {
    const xml =
      '<preflight name="x"><isValid type="PDF/A1-b">false</isValid><errors count="1"><error count="1">' +
      "<code>2.4.3</code><details>Invalid &lt;Font&gt; &amp; more</details></error></errors></preflight>";
    expect(parsePreflightXml(xml)).to.deep.equal({ valid: false, errors: ["2.4.3 : Invalid <Font> & more"] });
  });
});
