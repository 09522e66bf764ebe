import { expect } from "chai";
import {
  decryptCredentials,
  decryptSecret,
  encryptCredentials,
  encryptSecret,
  isEncryptedSecret,
  SecretsError,
} from "../../src/connectors/secrets.ts";

const KEY = "correct horse battery staple, long enough";

function secretsError(fn: () => unknown): SecretsError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(SecretsError);
    return e as SecretsError;
  }
  throw new Error("expected a SecretsError");
}

describe("connector secrets (AES-256-GCM)", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.REGLAMENT_SECRET;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.REGLAMENT_SECRET;
    else process.env.REGLAMENT_SECRET = saved;
  });

  it("round-trips, with a fresh salt and IV each time", () => {
    const a = encryptSecret("токен-0123456789abcdef", KEY);
    const b = encryptSecret("токен-0123456789abcdef", KEY);
    expect(a).to.not.equal(b);
    expect(a).to.not.contain("0123456789abcdef");
    expect(isEncryptedSecret(a)).to.equal(true);
    expect(isEncryptedSecret("0123456789abcdef0123456789abcdef")).to.equal(false);
    expect(decryptSecret(a, KEY)).to.equal("токен-0123456789abcdef");
    const creds = { clientId: "id", clientSecret: "s3cret" };
    expect(decryptCredentials(encryptCredentials(creds, KEY), KEY)).to.deep.equal(creds);
  });

  it("reads the key from REGLAMENT_SECRET", () => {
    process.env.REGLAMENT_SECRET = KEY;
    expect(decryptSecret(encryptSecret("x"))).to.equal("x");
    expect(decryptSecret(encryptSecret("x"), KEY)).to.equal("x");
  });

  it("detects tampering and a wrong key", () => {
    const token = encryptSecret("token", KEY);
    const parts = token.split(".");
    const body = Buffer.from(parts[4], "base64url");
    body[0] ^= 1;
    const altered = [...parts.slice(0, 4), body.toString("base64url")].join(".");
    expect(secretsError(() => decryptSecret(altered, KEY)).code).to.equal("tampered");
    expect(secretsError(() => decryptSecret(token, `${KEY}!`)).code).to.equal("tampered");
    expect(secretsError(() => decryptSecret("v1.broken", KEY)).code).to.equal("bad-format");
  });

  it("names the missing REGLAMENT_SECRET clearly", () => {
    delete process.env.REGLAMENT_SECRET;
    const e = secretsError(() => encryptSecret("x"));
    expect(e.code).to.equal("missing-key");
    expect(e.message).to.contain("REGLAMENT_SECRET");
    expect(e.userMessage).to.contain("REGLAMENT_SECRET");
    expect(secretsError(() => decryptSecret(encryptSecret("x", KEY))).code).to.equal("missing-key");
  });
});
