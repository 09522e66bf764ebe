/** Throwaway RSA certificates and PKCS#12 files for archive tests (node-forge, native key generation). */
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import forge from "node-forge";

export interface TestCertificate {
  p12: Buffer;
  passphrase: string;
  certPem: string;
  commonName: string;
  /** Written by writeTestCertificate: the PKCS#12 file and the certificate as a CA file. */
  p12File: string;
  caFile: string;
}

export async function writeTestCertificate(
  dir: string,
  commonName = "Директор Иванова Мария Петровна",
  passphrase = "test-pass",
  organization = "МБОУ СОШ № 1",
): Promise<TestCertificate> {
  // native key generation (forge's pure-JS one takes about a second)
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = forge.pki.privateKeyFromPem(
    pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const keys = {
    privateKey,
    publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e),
  };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const attrs = [
    { shortName: "CN", value: commonName, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: "O", value: organization, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: "C", value: "RU" },
  ];
  cert.setSubject(attrs as forge.pki.CertificateField[]);
  cert.setIssuer(attrs as forge.pki.CertificateField[]);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, keyCertSign: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: "3des" });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), "binary");
  const certPem = forge.pki.certificateToPem(cert);
  const safeName = `cert-${cert.serialNumber}`;
  const p12File = join(dir, `${safeName}.p12`);
  const caFile = join(dir, `${safeName}.pem`);
  await writeFile(p12File, p12);
  await writeFile(caFile, certPem);
  return { p12, passphrase, certPem, commonName, p12File, caFile };
}
