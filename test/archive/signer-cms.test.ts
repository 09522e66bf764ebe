import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { OutputExistsError } from "../../src/archive/errors.ts";
import { signatureVerdict } from "../../src/archive/signer.ts";
import { CmsSigner } from "../../src/archive/signer-cms.ts";
import { writePdfA1b } from "./support/pdfa-builder.ts";
import { type TestCertificate, writeTestCertificate } from "./support/test-certificates.ts";

describe("archive/signer-cms: detached CMS .sig beside the PDF", () => {
  let dir: string;
  let cert: TestCertificate;
  let files: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-cms-test-"));
    cert = await writeTestCertificate(dir);
    const source = join(dir, "2025-2026_год_11Б.pdf");
    await writePdfA1b(source, ["Журнал 11Б"]);
    const outDir = join(dir, "out");
    await mkdir(outDir);
    ({ files } = await new CmsSigner({ p12: cert.p12File, passphrase: cert.passphrase }).sign(
      source,
      outDir,
    ));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the PDF copy and a DER .sig next to it", async () => {
    expect(files).to.deep.equal([
      join(dir, "out", "2025-2026_год_11Б.pdf"),
      join(dir, "out", "2025-2026_год_11Б.pdf.sig"),
    ]);
    const sig = await readFile(files[1]);
    expect(sig[0]).to.equal(0x30); // DER SEQUENCE, not PEM/base64
    expect(await readFile(files[0])).to.deep.equal(await readFile(join(dir, "2025-2026_год_11Б.pdf")));
  });

  it("verifies against the CA, in either file order, naming the signer", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase, caFile: cert.caFile });
    const check = await signer.verify([files[1], files[0]]);
    expect(check.valid, check.detail).to.equal(true);
    expect(check.signer).to.equal(cert.commonName);
    expect(Number.isNaN(Date.parse(check.signedAt!))).to.equal(false);
    expect(check.signerVerified).to.equal(true);
    expect(signatureVerdict(check)).to.equal("valid");
  });

  it("without caFile proves integrity only: the signer is not verified, never plain valid", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase });
    const check = await signer.verify(files);
    expect(check.valid, check.detail).to.equal(true);
    expect(check.signerVerified).to.equal(false);
    expect(signatureVerdict(check)).to.equal("integrity-only");
    // a certificate anyone can make with the director's name is as "valid" without a CA
    await mkdir(join(dir, "forged"));
    await mkdir(join(dir, "forged-out"));
    const forged = await writeTestCertificate(join(dir, "forged"), cert.commonName);
    const forgedFiles = (
      await new CmsSigner({ p12: forged.p12File, passphrase: forged.passphrase }).sign(
        files[0],
        join(dir, "forged-out"),
      )
    ).files;
    expect(signatureVerdict(await signer.verify(forgedFiles))).to.equal("integrity-only");
    expect(
      signatureVerdict(
        await new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase, caFile: cert.caFile }).verify(
          forgedFiles,
        ),
      ),
    ).to.equal("invalid");
  });

  it("is invalid when one byte of the PDF changes, or the .sig is damaged", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase, caFile: cert.caFile });
    const pdf = await readFile(files[0]);
    pdf[Math.floor(pdf.length / 2)] ^= 0x20;
    const tampered = join(dir, "tampered.pdf");
    await writeFile(tampered, pdf);
    const check = await signer.verify([tampered, files[1]]);
    expect(check.valid).to.equal(false);
    expect(check.reason).to.match(/недействительна/);

    const sig = await readFile(files[1]);
    sig[sig.length - 5] ^= 0x01; // inside the signature value
    const badSig = join(dir, "bad.pdf.sig");
    await writeFile(badSig, sig);
    expect((await signer.verify([files[0], badSig])).valid).to.equal(false);
  });

  it("reports a missing signature file instead of throwing", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase });
    const check = await signer.verify([files[0]]);
    expect(check.valid).to.equal(false);
    expect(check.reason).to.be.a("string");
  });

  it("refuses to overwrite an existing signature", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase });
    const error = await signer.sign(files[0], join(dir, "out")).catch((e) => e);
    expect(error).to.be.instanceOf(OutputExistsError);
  });

  it("rejects a wrong PKCS#12 passphrase with a clear error", async () => {
    const signer = new CmsSigner({ p12: cert.p12, passphrase: "wrong" });
    const error = await signer.sign(join(dir, "2025-2026_год_11Б.pdf"), join(dir, "other")).catch((e) => e);
    expect(error.message).to.match(/PKCS#12/);
  });
});
