/**
 * Builds the configured signer. Without a configured PKCS#12 file a demo run may sign with a
 * throwaway self-signed certificate labelled «ДЕМО» (made once under demoCertDir); real runs refuse.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import forge from "node-forge";
import type { ArchiveConfig } from "./archive-config.ts";
import { ArchiveConfigError } from "./errors.ts";
import { journalMessages as msg } from "./journal-messages.ru.ts";
import type { Signer } from "./signer.ts";
import { CmsSigner } from "./signer-cms.ts";
import { ExternalSigner } from "./signer-external.ts";
import { PadesSigner } from "./signer-pades.ts";

export const DEMO_P12 = "demo-director.p12";
export const DEMO_CERT = "demo-director.pem";
const DEMO_PASSPHRASE = "demo";

export interface DemoCertificate {
  p12File: string;
  caFile: string;
  passphrase: string;
}

/** Makes (once) a self-signed RSA certificate «ДЕМО» for the demo archive; returns its files. */
export async function ensureDemoCertificate(dir: string): Promise<DemoCertificate> {
  const p12File = resolve(join(dir, DEMO_P12));
  const caFile = resolve(join(dir, DEMO_CERT));
  if (existsSync(p12File) && existsSync(caFile)) return { p12File, caFile, passphrase: DEMO_PASSPHRASE };
  await mkdir(dir, { recursive: true });
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = forge.pki.privateKeyFromPem(
    pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
  const attrs = [
    { shortName: "CN", value: msg.demoCertificateName, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: "O", value: msg.demoOrganization, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: "C", value: "RU" },
  ];
  cert.setSubject(attrs as forge.pki.CertificateField[]);
  cert.setIssuer(attrs as forge.pki.CertificateField[]);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, keyCertSign: true },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], DEMO_PASSPHRASE, { algorithm: "3des" });
  await writeFile(p12File, Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary"), { mode: 0o600 });
  await writeFile(caFile, forge.pki.certificateToPem(cert));
  await writeFile(
    join(dir, "README-ДЕМО.txt"),
    "ДЕМО: самоподписанный сертификат для демонстрации архива reglament. Не является электронной подписью директора и не годится для реальных документов.\n",
  );
  return { p12File, caFile, passphrase: DEMO_PASSPHRASE };
}

export interface ConfiguredSigner {
  signer: Signer;
  /** True when signing with the throwaway «ДЕМО» certificate. */
  demo: boolean;
}

/** The signer of `archive.signer`; `allowDemo` lets a missing p12 fall back to the «ДЕМО» certificate. */
export async function signerFromConfig(
  archive: ArchiveConfig,
  options: { env?: NodeJS.ProcessEnv; allowDemo?: boolean } = {},
): Promise<ConfiguredSigner> {
  const env = options.env ?? process.env;
  const s = archive.signer;
  if (s.kind === "external") {
    return {
      signer: new ExternalSigner({
        signCommand: s.signCommand ?? "",
        verifyCommand: s.verifyCommand ?? "",
        signatureExtension: s.signatureExtension,
      }),
      demo: false,
    };
  }
  let p12 = s.p12;
  let passphrase = env[s.passphraseEnv] ?? "";
  let caFile = s.caFile;
  let demo = false;
  if (!p12) {
    if (!options.allowDemo) {
      throw new ArchiveConfigError(
        `archive.signer.p12 is not set: give the director's PKCS#12 file (or run with the demo certificate)`,
      );
    }
    const cert = await ensureDemoCertificate(archive.demoCertDir);
    p12 = cert.p12File;
    passphrase = cert.passphrase;
    caFile = caFile ?? cert.caFile;
    demo = true;
  } else if (!existsSync(p12)) {
    throw new ArchiveConfigError(`archive.signer.p12: file ${p12} not found`);
  }
  const signer =
    s.kind === "pades"
      ? new PadesSigner({ p12, passphrase, caFile, reason: msg.signatureReason })
      : new CmsSigner({ p12, passphrase, caFile, signatureExtension: s.signatureExtension });
  return { signer, demo };
}
