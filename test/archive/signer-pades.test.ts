import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { OutputExistsError } from "../../src/archive/errors.ts";
import { validatePdfA1b } from "../../src/archive/pdfa.ts";
import { PadesSigner, pdfTextLiteral, verifyPadesFile } from "../../src/archive/signer-pades.ts";
import { requireTool } from "../support/system-tools.ts";
import { writePdfA1b, writePlainPdf } from "./support/pdfa-builder.ts";
import { type TestCertificate, writeTestCertificate } from "./support/test-certificates.ts";

const run = promisify(execFile);

describe("archive/signer-pades: PAdES inside the PDF/A", () => {
  let dir: string;
  let cert: TestCertificate;
  let source: string;
  let signed: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-pades-test-"));
    cert = await writeTestCertificate(dir);
    source = join(dir, "2025-2026_2_5А.pdf");
    await writePdfA1b(source, ["Журнал 5А", "Русский язык: 5 4 5"]);
    const signer = new PadesSigner({ p12: cert.p12File, passphrase: cert.passphrase, caFile: cert.caFile });
    const outDir = join(dir, "signed");
    await mkdir(outDir);
    const { files } = await signer.sign(source, outDir);
    expect(files).to.deep.equal([join(outDir, "2025-2026_2_5А.pdf")]);
    signed = files[0];
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("signs and verifies: signer CN and signing time come from the CMS", async () => {
    const before = Date.now();
    const check = await new PadesSigner({
      p12: cert.p12,
      passphrase: cert.passphrase,
      caFile: cert.caFile,
    }).verify([signed]);
    expect(check.valid, check.detail).to.equal(true);
    expect(check.signer).to.equal(cert.commonName);
    expect(Date.parse(check.signedAt!)).to.be.within(before - 120_000, before + 1000);
    const bytes = await readFile(signed);
    expect(bytes.toString("latin1")).to.include("/SubFilter /ETSI.CAdES.detached");
  });

  it("keeps the signed file PDF/A-1b (Preflight)", async function () {
    requireTool(this, "preflight");
    const result = await validatePdfA1b(signed);
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it("detects one changed byte anywhere in the signed ranges", async () => {
    const bytes = await readFile(signed);
    for (const position of [100, Math.floor(bytes.length / 3), bytes.length - 10]) {
      const tampered = Buffer.from(bytes);
      tampered[position] ^= 0x01;
      const file = join(dir, `tampered-${position}.pdf`);
      await writeFile(file, tampered);
      const check = await verifyPadesFile(file, { caFile: cert.caFile });
      expect(check.valid, `byte ${position}`).to.equal(false);
      expect(check.reason).to.be.a("string");
    }
  });

  it("detects bytes appended after signing (signature no longer covers the file)", async () => {
    const file = join(dir, "appended.pdf");
    await writeFile(file, Buffer.concat([await readFile(signed), Buffer.from("\n% extra\n")]));
    const check = await verifyPadesFile(file);
    expect(check.valid).to.equal(false);
    expect(check.reason).to.match(/не весь файл/);
  });

  it("reports an unsigned PDF and an untrusted certificate", async () => {
    const plain = join(dir, "plain.pdf");
    await writePlainPdf(plain);
    expect((await verifyPadesFile(plain)).valid).to.equal(false);
    const other = await writeTestCertificate(join(dir), "Чужой УЦ");
    const check = await verifyPadesFile(signed, { caFile: other.caFile });
    expect(check.valid).to.equal(false);
    expect(check.reason).to.match(/доверенным/);
  });

  it("never overwrites an existing output", async () => {
    const signer = new PadesSigner({ p12: cert.p12File, passphrase: cert.passphrase });
    const error = await signer.sign(source, join(dir, "signed")).catch((e) => e);
    expect(error).to.be.instanceOf(OutputExistsError);
  });

  it("is accepted by poppler pdfsig as a whole-document ETSI.CAdES.detached signature", async function () {
    requireTool(this, "pdfsig");
    const pdfsig = await run("pdfsig", ["-nocert", signed]).catch((error) => error);
    expect(pdfsig.stdout).to.include("ETSI.CAdES.detached");
    expect(pdfsig.stdout).to.include("Signature is Valid");
    expect(pdfsig.stdout).to.include("Total document signed");
  });

  it("encodes Cyrillic text strings as UTF-16BE with BOM and escapes delimiters", () => {
    expect(pdfTextLiteral("a(b)\\")).to.equal("a\\(b\\)\\\\");
    const encoded = pdfTextLiteral("Ш");
    // U+0428 is 0x04 0x28, and 0x28 is "(" so it must be escaped
    expect(encoded).to.equal("\xfe\xff\x04\\(");
  });
});
