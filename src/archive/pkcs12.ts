/**
 * Reads the director's PKCS#12 file (RSA; GOST containers go through the external signer) into the
 * PEM pieces OpenSSL needs. The private key leaves this module only encrypted with a one-time passphrase.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import forge from "node-forge";
import { certificateSubject } from "./cms-info.ts";
import { ArchiveConfigError } from "./errors.ts";

export interface Pkcs12Material {
  /** Signer certificate, PEM. */
  certPem: string;
  /** Other certificates of the file (chain), PEM, possibly empty. */
  chainPem: string;
  /** Private key as encrypted PKCS#8 PEM, locked with `keyPassphrase`. */
  encryptedKeyPem: string;
  keyPassphrase: string;
  /** CN of the signer certificate. */
  commonName?: string;
}

export function readPkcs12(p12: Uint8Array, passphrase: string): Pkcs12Material {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.createBuffer(Buffer.from(p12).toString("binary"));
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, passphrase);
  } catch (error) {
    throw new ArchiveConfigError(
      `cannot open PKCS#12 file (wrong passphrase or not RSA): ${(error as Error).message}`,
    );
  }
  const shrouded = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
    forge.pki.oids.pkcs8ShroudedKeyBag
  ];
  const plain = parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag];
  const key = (shrouded?.[0]?.key ?? plain?.[0]?.key) as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new ArchiveConfigError("PKCS#12 file holds no private key");
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  const own = certs.find((cert) => {
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!own) throw new ArchiveConfigError("PKCS#12 file holds no certificate matching its private key");
  const keyPassphrase = randomBytes(24).toString("hex");
  const keyInfo = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
  const encrypted = forge.pki.encryptPrivateKeyInfo(keyInfo, keyPassphrase, { algorithm: "aes256" });
  const certDer = forge.asn1.toDer(forge.pki.certificateToAsn1(own)).getBytes();
  return {
    certPem: forge.pki.certificateToPem(own),
    chainPem: certs
      .filter((cert) => cert !== own)
      .map((cert) => forge.pki.certificateToPem(cert))
      .join(""),
    encryptedKeyPem: forge.pki.encryptedPrivateKeyToPem(encrypted),
    keyPassphrase,
    commonName: certificateSubject(certDer),
  };
}

/** Loads a PKCS#12 file (path or bytes) once and keeps the material for later signatures. */
export function pkcs12Loader(p12: string | Uint8Array, passphrase: string): () => Promise<Pkcs12Material> {
  let loaded: Promise<Pkcs12Material> | undefined;
  return () => {
    loaded ??= (async () => readPkcs12(typeof p12 === "string" ? await readFile(p12) : p12, passphrase))();
    loaded.catch(() => {
      loaded = undefined; // a failed read (file not yet mounted, wrong passphrase) is retried next time
    });
    return loaded;
  };
}
