import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { ArchiveConfigError } from "../../src/archive/errors.ts";
import { MANIFEST_FILE, readManifest, writeManifest } from "../../src/archive/manifest.ts";
import { readRegistry } from "../../src/archive/registry-file.ts";
import {
  type ReplicaCheck,
  repairReplicas,
  type StorageTarget,
  TooFewTargetsError,
  verifyReplicas,
  writeReplicas,
} from "../../src/archive/replicas.ts";
import { CmsSigner } from "../../src/archive/signer-cms.ts";
import { writePdfA1b } from "./support/pdfa-builder.ts";
import { type TestCertificate, writeTestCertificate } from "./support/test-certificates.ts";

const run = promisify(execFile);

async function sha256sumCheck(target: StorageTarget): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run("sha256sum", ["--strict", "-c", MANIFEST_FILE], { cwd: target.path });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

function notOk(report: readonly ReplicaCheck[]) {
  return report
    .filter((r) => r.status !== "ok")
    .map((r) => ({ file: r.file, target: r.target, status: r.status }));
}

const ENTRY = {
  class: "5А",
  period: "2",
  year: "2025-2026",
  kind: "journal" as const,
  signatureKind: "cms" as const,
  retentionUntil: "2031-12-31",
};

describe("archive/replicas: copies on two media, manifests, fixity and repair", () => {
  let dir: string;
  let cert: TestCertificate;
  let signer: CmsSigner;
  let signedFiles: string[];
  let targets: StorageTarget[];
  let media: string;
  let otherFiles: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-replicas-"));
    cert = await writeTestCertificate(dir);
    signer = new CmsSigner({ p12: cert.p12, passphrase: cert.passphrase, caFile: cert.caFile });
    const source = join(dir, "2025-2026_2_5А.pdf");
    await writePdfA1b(source, ["Журнал 5А, 2 четверть"]);
    ({ files: signedFiles } = await signer.sign(source, join(dir, "signed")));
    const other = join(dir, "other.pdf");
    await writePdfA1b(other, ["Другой журнал"]);
    ({ files: otherFiles } = await signer.sign(other, join(dir, "other-signed")));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    media = await mkdtemp(join(dir, "media-"));
    targets = [
      { id: "safe-director", path: join(media, "сейф директора"), description: "USB-диск, сейф директора" },
      { id: "archive-room", path: join(media, "archive-room") },
    ];
  });

  it("writes the PDF and its .sig to every target, with a manifest sha256sum -c accepts and a registry", async () => {
    const { entry, version } = await writeReplicas(signedFiles, targets, {
      relativePath: "2025-2026/2025-2026_2_5А.pdf",
      entry: { ...ENTRY, signer: cert.commonName, signedAt: "2026-01-10T09:00:00.000Z" },
    });
    expect(version).to.equal(1);
    expect(entry.file).to.equal("2025-2026/2025-2026_2_5А.pdf");
    expect(entry.files.map((f) => f.file)).to.deep.equal([
      "2025-2026/2025-2026_2_5А.pdf",
      "2025-2026/2025-2026_2_5А.pdf.sig",
    ]);
    const original = await readFile(signedFiles[0]);
    for (const target of targets) {
      expect(await readFile(join(target.path, "2025-2026/2025-2026_2_5А.pdf"))).to.deep.equal(original);
      const check = await sha256sumCheck(target);
      expect(check.code, check.out).to.equal(0);
      expect(check.out).to.include("2025-2026/2025-2026_2_5А.pdf.sig: OK");
      const registry = await readRegistry(target.path);
      expect(registry.entries).to.have.length(1);
      expect(registry.entries[0]).to.include({
        class: "5А",
        period: "2",
        signer: cert.commonName,
        sha256: entry.sha256,
      });
    }
    expect(notOk(await verifyReplicas(targets, { signer }))).to.deep.equal([]);
  });

  it("never overwrites: the same name again becomes _v2 on all targets, companions follow", async () => {
    await writeReplicas(signedFiles, targets, { entry: ENTRY });
    // someone left a file of the v2 name on one medium only: v3 is chosen everywhere
    await writeFile(join(targets[1].path, "2025-2026_2_5А_v2.pdf"), "not ours");
    const first = await readFile(join(targets[0].path, "2025-2026_2_5А.pdf"));
    const { entry, version } = await writeReplicas(signedFiles, targets, { entry: ENTRY });
    expect(version).to.equal(3);
    expect(entry.files.map((f) => f.file)).to.deep.equal([
      "2025-2026_2_5А_v3.pdf",
      "2025-2026_2_5А_v3.pdf.sig",
    ]);
    expect(await readFile(join(targets[0].path, "2025-2026_2_5А.pdf"))).to.deep.equal(first);
    expect(await readFile(join(targets[1].path, "2025-2026_2_5А_v2.pdf"), "utf8")).to.equal("not ours");
    for (const target of targets) {
      expect((await sha256sumCheck(target)).code).to.equal(0);
      expect((await readRegistry(target.path)).entries.map((e) => e.file)).to.deep.equal([
        "2025-2026_2_5А.pdf",
        "2025-2026_2_5А_v3.pdf",
      ]);
    }
  });

  it("finds one changed byte, repairs from the healthy replica and quarantines the damaged one", async () => {
    await writeReplicas(signedFiles, targets, { entry: ENTRY });
    const damaged = join(targets[1].path, "2025-2026_2_5А.pdf");
    const bytes = await readFile(damaged);
    bytes[1234] ^= 0x01;
    await writeFile(damaged, bytes);
    expect((await sha256sumCheck(targets[1])).code).to.not.equal(0);

    const report = await verifyReplicas(targets, { signer });
    expect(notOk(report)).to.deep.equal([
      { file: "2025-2026_2_5А.pdf", target: "archive-room", status: "changed" },
    ]);
    const actions = await repairReplicas(report, targets);
    expect(actions).to.have.length(1);
    expect(actions[0]).to.include({ action: "restored", from: "safe-director", target: "archive-room" });
    expect(await readFile(join(targets[1].path, actions[0].quarantined!))).to.deep.equal(bytes);

    expect(notOk(await verifyReplicas(targets, { signer }))).to.deep.equal([]);
    expect((await sha256sumCheck(targets[1])).code).to.equal(0);
  });

  it("finds a deleted file (and a lost manifest line) and restores both", async () => {
    await writeReplicas(signedFiles, targets, { entry: ENTRY });
    await unlink(join(targets[0].path, "2025-2026_2_5А.pdf.sig"));
    const manifest = await readManifest(targets[1].path);
    manifest.delete("2025-2026_2_5А.pdf");
    await writeManifest(targets[1].path, manifest);

    const report = await verifyReplicas(targets);
    expect(notOk(report)).to.deep.equal([
      { file: "2025-2026_2_5А.pdf", target: "archive-room", status: "changed" },
      { file: "2025-2026_2_5А.pdf.sig", target: "safe-director", status: "missing" },
    ]);
    const actions = await repairReplicas(report, targets);
    expect(actions.map((a) => a.action).sort()).to.deep.equal(["index-fixed", "restored"]);
    expect(notOk(await verifyReplicas(targets, { signer }))).to.deep.equal([]);
    for (const target of targets) expect((await sha256sumCheck(target)).code).to.equal(0);
  });

  it("never repairs from a changed replica: when no copy matches, it reports and leaves files alone", async () => {
    await writeReplicas(signedFiles, targets, { entry: ENTRY });
    for (const [i, target] of targets.entries()) {
      const path = join(target.path, "2025-2026_2_5А.pdf");
      const bytes = await readFile(path);
      bytes[500 + i] ^= 0x01;
      await writeFile(path, bytes);
    }
    const before = await readFile(join(targets[0].path, "2025-2026_2_5А.pdf"));
    const report = await verifyReplicas(targets);
    expect(notOk(report).map((r) => r.status)).to.deep.equal(["changed", "changed"]);
    const actions = await repairReplicas(report, targets);
    expect(actions.map((a) => a.action)).to.deep.equal(["unrepairable", "unrepairable"]);
    expect(actions[0].reason).to.match(/нет исправной копии/);
    expect(await readFile(join(targets[0].path, "2025-2026_2_5А.pdf"))).to.deep.equal(before);
  });

  it("marks a document whose signature does not verify as unsigned, and does not pretend to repair it", async () => {
    // a consistent pair of files on every medium whose .sig belongs to another document
    await writeReplicas([signedFiles[0], otherFiles[1]], targets, { entry: ENTRY, relativePath: "x.pdf" });
    const report = await verifyReplicas(targets, { signer });
    expect(notOk(report)).to.deep.equal([
      { file: "x.pdf", target: "safe-director", status: "unsigned" },
      { file: "x.pdf", target: "archive-room", status: "unsigned" },
    ]);
    const actions = await repairReplicas(report, targets);
    expect(actions.every((a) => a.action === "unrepairable")).to.equal(true);
    expect(actions[0].reason).to.match(/повторная подпись/);
  });

  it("refuses a single medium, duplicate targets and paths escaping the target", async () => {
    const one = await writeReplicas(signedFiles, [targets[0]], { entry: ENTRY }).catch((e) => e);
    expect(one).to.be.instanceOf(TooFewTargetsError);
    const dup = await writeReplicas(signedFiles, [targets[0], { ...targets[0], id: "same" }], {
      entry: ENTRY,
    }).catch((e) => e);
    expect(dup).to.be.instanceOf(ArchiveConfigError);
    const escaping = await writeReplicas(signedFiles, targets, {
      entry: ENTRY,
      relativePath: "../x.pdf",
    }).catch((e) => e);
    expect(escaping).to.be.instanceOf(ArchiveConfigError);
    const badEntry = await writeReplicas(signedFiles, targets, {
      entry: { ...ENTRY, retentionUntil: "31.12.2031" },
    }).catch((e) => e);
    expect(badEntry).to.be.instanceOf(ArchiveConfigError);
  });

  it("serialises concurrent writers of the same targets", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => writeReplicas(signedFiles, targets, { entry: ENTRY })),
    );
    expect(results.map((r) => r.version).sort()).to.deep.equal([1, 2, 3]);
    for (const target of targets) {
      expect((await readRegistry(target.path)).entries).to.have.length(3);
      expect((await sha256sumCheck(target)).code).to.equal(0);
    }
  });
});
