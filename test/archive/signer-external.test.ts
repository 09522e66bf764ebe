import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ArchiveConfigError, CommandTimeoutError, ToolMissingError } from "../../src/archive/errors.ts";
import { ExternalSigner } from "../../src/archive/signer-external.ts";
import { requireTool } from "../support/system-tools.ts";
import { type GostMaterial, makeGostMaterial } from "./support/gost.ts";
import { writePdfA1b } from "./support/pdfa-builder.ts";

/** DER of OID 1.2.643.7.1.1.2.2 (GOST R 34.11-2012, 256 bit) and 1.2.643.7.1.1.1.1 (34.10-2012 key). */
const STREEBOG_256_OID = Buffer.from("06082a85030701010202", "hex");
const GOST_2012_256_KEY_OID = Buffer.from("06082a85030701010101", "hex");

describe("archive/signer-external: command-template signer (GOST CAdES through OpenSSL gost-engine)", () => {
  let dir: string;
  let keys: string;
  let source: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-ext-test-"));
    keys = join(dir, "ключи директора"); // a space in the path must survive the template
    await mkdir(keys);
    source = join(dir, "2025-2026_1 полугодие_9 «В».pdf");
    await writePdfA1b(source, ["Журнал 9В"]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("signs with GOST R 34.10-2012 and verifies the detached CAdES", async function () {
    requireTool(this, "gost-engine");
    const gost: GostMaterial = await makeGostMaterial(keys, "Директор Петров Пётр");
    const signer = new ExternalSigner({
      signCommand: `openssl cms -sign -binary -cades -md md_gost12_256 -outform DER -nosmimecap -in {in} -out {out} -signer '${gost.certFile}' -inkey "${gost.keyFile}"`,
      verifyCommand: `openssl cms -verify -cades -binary -inform DER -in {sig} -content {in} -CAfile '${gost.certFile}' -out /dev/null`,
      env: { OPENSSL_CONF: gost.opensslConf },
      timeoutMs: 30_000,
    });
    const outDir = join(dir, "out");
    const { files } = await signer.sign(source, outDir);
    expect(files).to.deep.equal([
      join(outDir, "2025-2026_1 полугодие_9 «В».pdf"),
      join(outDir, "2025-2026_1 полугодие_9 «В».pdf.sig"),
    ]);
    const sig = await readFile(files[1]);
    expect(sig.includes(STREEBOG_256_OID)).to.equal(true);
    expect(sig.includes(GOST_2012_256_KEY_OID)).to.equal(true);
    const check = await signer.verify(files);
    expect(check.valid, check.detail).to.equal(true);
    expect(check.signer).to.equal("Директор Петров Пётр");
    expect(Number.isNaN(Date.parse(check.signedAt!))).to.equal(false);

    const pdf = await readFile(files[0]);
    pdf[pdf.length - 20] ^= 0x01;
    const tampered = join(dir, "tampered.pdf");
    await writeFile(tampered, pdf);
    const bad = await signer.verify([tampered, files[1]]);
    expect(bad.valid).to.equal(false);
    expect(bad.detail).to.match(/openssl exited/);
  });

  it("fails clearly when the signer command is not installed", async () => {
    const missing = new ExternalSigner({
      signCommand: "cryptcp-not-installed -sign {in} {out}",
      verifyCommand: "true {in} {sig}",
    });
    const error = await missing.sign(source, join(dir, "missing")).catch((e) => e);
    expect(error).to.be.instanceOf(ToolMissingError);
    expect(error.message).to.include("cryptcp-not-installed");
  });

  it("kills a signer that hangs and leaves no partial signature", async () => {
    const hanging = new ExternalSigner({
      signCommand: "sh -c 'sleep 5' {in} {out}",
      verifyCommand: "true {in} {sig}",
      timeoutMs: 300,
    });
    const outDir = join(dir, "hang");
    const error = await hanging.sign(source, outDir).catch((e) => e);
    expect(error).to.be.instanceOf(CommandTimeoutError);
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(outDir)).filter((f) => f.includes(".sig"))).to.deep.equal([]);
  });

  it("fails when the signer exits 0 but writes nothing", async () => {
    const lazy = new ExternalSigner({ signCommand: "true {in} {out}", verifyCommand: "true {in} {sig}" });
    const error = await lazy.sign(source, join(dir, "lazy")).catch((e) => e);
    expect(error.message).to.match(/wrote no signature/);
  });

  it("rejects templates without their placeholders or with unknown ones", () => {
    expect(
      () => new ExternalSigner({ signCommand: "cryptcp -sign {in}", verifyCommand: "x {in} {sig}" }),
    ).to.throw(ArchiveConfigError, /\{out\}/);
    expect(
      () => new ExternalSigner({ signCommand: "cryptcp {in} {out} {pin}", verifyCommand: "x {in} {sig}" }),
    ).to.throw(ArchiveConfigError, /\{pin\}/);
  });
});
