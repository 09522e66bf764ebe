/**
 * Detached CMS signing and verification through the OpenSSL command line (Debian `openssl`), the
 * same tool that checks GOST signatures with gost-engine (ANCHORS §4.2).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCmsInfo } from "./cms-info.ts";
import { runCommand } from "./command.ts";
import { CommandFailedError } from "./errors.ts";
import { archiveMessages } from "./messages.ru.ts";
import type { Pkcs12Material } from "./pkcs12.ts";
import type { SignatureCheck } from "./signer.ts";

export const OPENSSL_PACKAGES = "openssl";

export interface CmsVerifyOptions {
  /** PEM file of trusted CA (or self-signed signer) certificates; without it only integrity is checked. */
  caFile?: string;
  /** Require CAdES-BES (signingCertificateV2 attribute). */
  cades?: boolean;
  /** Extra environment, e.g. OPENSSL_CONF loading gost-engine. */
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

/** Verifies `signature` (DER CMS, detached) over `content`; never throws for a bad signature. */
export async function verifyDetachedCms(
  content: string,
  signature: string,
  options: CmsVerifyOptions = {},
): Promise<SignatureCheck> {
  const argv = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", signature];
  argv.push("-content", content, "-out", "/dev/null", "-purpose", "any");
  // openssl refuses -cades with -noverify (CAdES checks need the chain): without CA certificates
  // only the integrity of the content is checked, and the result says so
  if (options.caFile) {
    if (options.cades) argv.push("-cades");
    argv.push("-CAfile", options.caFile);
  } else argv.push("-noverify");
  const result = await runCommand(argv, {
    env: options.env,
    timeoutMs: options.timeoutMs ?? 60_000,
    packages: OPENSSL_PACKAGES,
  });
  const info = readCmsInfo(await readFile(signature));
  // without -CAfile openssl ran with -noverify: the content is intact, the signer is unchecked
  if (result.exitCode === 0) return { valid: true, signerVerified: options.caFile !== undefined, ...info };
  const untrusted = /certificate verify error|unable to get local issuer|self.signed/i.test(result.stderr);
  return {
    valid: false,
    ...info,
    reason: untrusted ? archiveMessages.signature.untrusted : archiveMessages.signature.invalid,
    detail: result.stderr.trim().slice(-600),
  };
}

export interface CmsSignOptions {
  certFile: string;
  keyFile: string;
  /** Further certificates (the chain) to embed. */
  chainFile?: string;
  /** Name of an environment variable holding the key passphrase (never on the command line). */
  passphraseEnv?: string;
  env?: Readonly<Record<string, string>>;
  digest?: string;
  timeoutMs?: number;
}

/** Writes a detached DER CAdES-BES signature of `content` to `out`. */
export async function signDetachedCms(content: string, out: string, options: CmsSignOptions): Promise<void> {
  const argv = [
    "openssl",
    "cms",
    "-sign",
    "-binary",
    "-cades",
    "-outform",
    "DER",
    "-in",
    content,
    "-out",
    out,
  ];
  argv.push(
    "-signer",
    options.certFile,
    "-inkey",
    options.keyFile,
    "-md",
    options.digest ?? "sha256",
    "-nosmimecap",
  );
  if (options.chainFile) argv.push("-certfile", options.chainFile);
  if (options.passphraseEnv) argv.push("-passin", `env:${options.passphraseEnv}`);
  const result = await runCommand(argv, {
    env: options.env,
    timeoutMs: options.timeoutMs ?? 60_000,
    packages: OPENSSL_PACKAGES,
  });
  if (result.exitCode !== 0)
    throw new CommandFailedError("openssl cms -sign", result.exitCode, result.stderr);
}

/**
 * Detached CAdES-BES over `data` with a PKCS#12 key. The key reaches the disk only encrypted with a
 * one-time passphrase (passed through the environment) inside a private temp folder removed at once.
 */
export async function signBytesWithPkcs12(data: Uint8Array, material: Pkcs12Material): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), "reglament-sign-"));
  try {
    const certFile = join(dir, "cert.pem");
    const keyFile = join(dir, "key.pem");
    const chainFile = material.chainPem ? join(dir, "chain.pem") : undefined;
    const content = join(dir, "content");
    const out = join(dir, "signature.der");
    await writeFile(certFile, material.certPem, { mode: 0o600 });
    await writeFile(keyFile, material.encryptedKeyPem, { mode: 0o600 });
    if (chainFile) await writeFile(chainFile, material.chainPem, { mode: 0o600 });
    await writeFile(content, data, { mode: 0o600 });
    await signDetachedCms(content, out, {
      certFile,
      keyFile,
      chainFile,
      passphraseEnv: "REGLAMENT_SIGNING_KEY_PASSPHRASE",
      env: { REGLAMENT_SIGNING_KEY_PASSPHRASE: material.keyPassphrase },
    });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
