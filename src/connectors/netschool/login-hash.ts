// The password proof NetSchool's login form sends (platforms/real-shapes.md §2.2):
// pw2 = md5(salt + md5hex(password in windows-1251)), pw = pw2 cut to the password's length.
import { createHash } from "node:crypto";

// windows-1251 bytes of the non-ASCII characters a password can hold (Cyrillic, Ё/ё, №, a few signs).
const CP1251_EXTRA: Record<string, number> = {
  Ё: 0xa8,
  ё: 0xb8,
  "№": 0xb9,
  "«": 0xab,
  "»": 0xbb,
  "—": 0x97,
  "–": 0x96,
  "€": 0x88,
  "§": 0xa7,
  "©": 0xa9,
  "°": 0xb0,
};

/** The password's bytes in windows-1251; a character the code page lacks is refused (the server could not match it). */
export function encodeWindows1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else if (code >= 0x410 && code <= 0x44f) out.push(code - 0x410 + 0xc0);
    else if (CP1251_EXTRA[ch] !== undefined) out.push(CP1251_EXTRA[ch]);
    else
      throw new RangeError(
        `the password has a character windows-1251 cannot encode (U+${code.toString(16)})`,
      );
  }
  return Buffer.from(out);
}

const md5hex = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

export function passwordProof(password: string, salt: string): { pw: string; pw2: string } {
  const pw2 = md5hex(salt + md5hex(encodeWindows1251(password)));
  return { pw2, pw: pw2.slice(0, password.length) };
}
