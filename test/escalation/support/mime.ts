// A small RFC 5322/2045/2047 reader for what nodemailer writes: enough to assert what actually
// arrived at the SMTP server (headers decoded, bodies decoded, multipart/alternative split).

export interface MimePart {
  headers: Map<string, string>;
  /** Decoded text of a leaf part; empty for a multipart container. */
  body: string;
  parts: MimePart[];
}

/** Decodes `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words; whitespace between adjacent words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, data: string) => {
      if (enc.toUpperCase() === "B") return Buffer.from(data, "base64").toString("utf8");
      const bytes = data.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => `%${hex}`);
      return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, "%25"));
    });
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const rest = split === -1 ? "" : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith("multipart/") && boundary !== undefined) {
    const sections = rest.split(`--${boundary}`).slice(1);
    const parts = sections
      .filter((s) => !s.startsWith("--"))
      .map((s) => parseMime(s.replace(/^\r\n/, "").replace(/\r\n$/, "")));
    return { headers, body: "", parts };
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  let body = rest;
  if (encoding === "base64") body = Buffer.from(rest.replace(/\s+/g, ""), "base64").toString("utf8");
  else if (encoding === "quoted-printable") body = decodeQuotedPrintable(rest);
  return { headers, body: body.replace(/\r\n/g, "\n").replace(/\n$/, ""), parts: [] };
}

/** The first leaf whose content type starts with `type`. */
export function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.parts.length === 0) {
    return (part.headers.get("content-type") ?? "text/plain").toLowerCase().startsWith(type)
      ? part
      : undefined;
  }
  for (const child of part.parts) {
    const found = findPart(child, type);
    if (found) return found;
  }
  return undefined;
}
