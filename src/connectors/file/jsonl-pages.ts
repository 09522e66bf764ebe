// Streams one JSON Lines file as pages of validated records; a bad line is rejected with file:line,
// the field and the reason, and reading goes on.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { type StreamName, type StreamRecords, streamSchemas } from "../../model/records.ts";
import type { Page, RejectedRecord } from "../types.ts";

export const PAGE_SIZE = 5000;

/** PostgreSQL text and jsonb cannot hold U+0000: a line carrying one is stored with it escaped. */
const escapeNul = (text: string) => text.replaceAll("\u0000", "\\u0000");

/** The path of the first string (key or value) holding U+0000, or null. */
function nulPath(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (!value || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\u0000")) return [...path, escapeNul(k)];
    const found = nulPath(v, [...path, k]);
    if (found) return found;
  }
  return null;
}

export async function* readJsonlPages<S extends StreamName>(
  stream: S,
  file: string,
): AsyncGenerator<Page<S>> {
  const schema = streamSchemas[stream];
  const name = basename(file);
  const total = (await stat(file)).size;
  const input = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let records: StreamRecords[S][] = [];
  let rejected: RejectedRecord[] = [];
  let lineNo = 0;
  let bytes = 0;
  for await (const line of lines) {
    lineNo++;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === "") continue;
    const origin = `${name}:${lineNo}`;
    const nul = line.indexOf("\u0000");
    if (nul >= 0) {
      rejected.push({
        stream,
        origin,
        reason: `binary data: NUL byte at column ${nul + 1}`,
        raw: escapeNul(line),
      });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      rejected.push({ stream, origin, reason: `invalid JSON: ${(err as Error).message}`, raw: line });
      continue;
    }
    const parsed = schema.safeParse(json);
    const nulAt = parsed.success ? nulPath(parsed.data) : null;
    if (parsed.success && nulAt) {
      const field = nulAt.join(".");
      rejected.push({ stream, origin, field, reason: `${field}: a NUL character (\\u0000)`, raw: line });
    } else if (parsed.success) {
      records.push(parsed.data as StreamRecords[S]);
    } else {
      const issue = parsed.error.issues[0];
      rejected.push({
        stream,
        origin,
        field: issue.path.join(".") || undefined,
        reason: issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
        raw: line,
      });
    }
    if (records.length + rejected.length >= PAGE_SIZE) {
      yield { records, rejected, cursor: `${name}:${lineNo}`, progress: { done: bytes, total } };
      records = [];
      rejected = [];
    }
  }
  yield { records, rejected, cursor: `${name}:${lineNo}`, progress: { done: total, total } };
}
