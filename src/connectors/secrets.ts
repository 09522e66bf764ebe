// Connector credentials at rest: AES-256-GCM. REGLAMENT_SECRET is stretched once per process with
// scrypt (so a weak passphrase still resists guessing), then each value gets its own key by HKDF
// with a random salt. Format: `v1.<salt>.<iv>.<tag>.<ciphertext>` (base64url parts).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from "node:crypto";
import { connectorMessages } from "./messages.ru.ts";

export type SecretsErrorCode = "missing-key" | "tampered" | "bad-format";

export class SecretsError extends Error {
  readonly code: SecretsErrorCode;
  readonly userMessage: string;
  constructor(code: SecretsErrorCode, detail: string) {
    super(detail);
    this.name = "SecretsError";
    this.code = code;
    this.userMessage =
      code === "missing-key" ? connectorMessages.secretMissing : connectorMessages.secretTampered;
  }
}

const VERSION = "v1";
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// scrypt cost N=2^15 (32 MiB, maxmem raised accordingly): paid once per process and secret.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SCRYPT_SALT = "reglament/connector-credentials/v1";
const stretched = new Map<string, Buffer>();

function masterSecret(secret: string | undefined): string {
  const value = secret ?? process.env.REGLAMENT_SECRET;
  if (value === undefined || value.trim() === "") {
    throw new SecretsError(
      "missing-key",
      "REGLAMENT_SECRET is not set: set it to a long random string to encrypt or decrypt connector credentials",
    );
  }
  return value;
}

function deriveKey(secret: string, salt: Buffer): Buffer {
  let master = stretched.get(secret);
  if (!master) {
    master = scryptSync(secret, SCRYPT_SALT, 32, SCRYPT);
    stretched.set(secret, master);
  }
  return Buffer.from(hkdfSync("sha256", master, salt, "aes-256-gcm key", 32));
}

/** Encrypts a string; `secret` defaults to env REGLAMENT_SECRET. */
export function encryptSecret(plaintext: string, secret?: string): string {
  const master = masterSecret(secret);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(master, salt), iv);
  cipher.setAAD(Buffer.from(VERSION));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, salt, iv, tag, body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Decrypts what encryptSecret wrote; throws SecretsError when the key is missing or the value was altered. */
export function decryptSecret(token: string, secret?: string): string {
  const master = masterSecret(secret);
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new SecretsError("bad-format", `encrypted credential is not in the ${VERSION} format`);
  }
  const [, saltB64, ivB64, tagB64, bodyB64] = parts;
  const salt = Buffer.from(saltB64, "base64url");
  const iv = Buffer.from(ivB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  const body = Buffer.from(bodyB64, "base64url");
  if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretsError("bad-format", "encrypted credential has parts of the wrong length");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(master, salt), iv);
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch (e) {
    throw new SecretsError(
      "tampered",
      `encrypted credential failed authentication (altered, or encrypted under another REGLAMENT_SECRET): ${(e as Error).message}`,
    );
  }
}

/** Whether a string looks like encryptSecret output (to accept both plain and encrypted config values). */
export function isEncryptedSecret(value: string): boolean {
  return /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/** Encrypts a JSON-serialisable credentials object. */
export function encryptCredentials(credentials: Record<string, unknown>, secret?: string): string {
  return encryptSecret(JSON.stringify(credentials), secret);
}

export function decryptCredentials(token: string, secret?: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(decryptSecret(token, secret));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SecretsError("bad-format", "decrypted credentials are not a JSON object");
  }
  return parsed as Record<string, unknown>;
}
