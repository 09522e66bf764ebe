/**
 * `manifest-sha256.txt` at the root of each storage target, in GNU sha256sum format
 * (`<hex>  <relative/path>`), so that `cd <target> && sha256sum -c manifest-sha256.txt` checks it
 * without reglament (BagIt-style fixity, ANCHORS §5).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { ArchiveConfigError } from "./errors.ts";
import { replaceFileAtomically } from "./safe-fs.ts";

export const MANIFEST_FILE = "manifest-sha256.txt";

/** relative path → sha256 hex */
export type Manifest = Map<string, string>;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** A path inside a target: relative, "/"-separated, no "..", nothing sha256sum would have to escape. */
export function checkRelativePath(path: string): string {
  const bad = (why: string) => new ArchiveConfigError(`relative path ${JSON.stringify(path)} ${why}`);
  if (path === "" || isAbsolute(path) || path.startsWith("/")) throw bad("must be relative");
  if (/[\\\n\r\u0000]/.test(path)) throw bad("contains a backslash or control character");
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".."))
    throw bad("has an empty, '.' or '..' segment");
  if (segments[0].startsWith("."))
    throw bad("must not start with a dot (reserved for the archive's own files)");
  return path;
}

export function parseManifest(text: string): Manifest {
  const manifest: Manifest = new Map();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) manifest.set(match[2], match[1]);
  }
  return manifest;
}

export function formatManifest(manifest: Manifest): string {
  return [...manifest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, sha]) => `${sha}  ${path}\n`)
    .join("");
}

export async function readManifest(targetPath: string): Promise<Manifest> {
  try {
    return parseManifest(await readFile(join(targetPath, MANIFEST_FILE), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
}

export async function writeManifest(targetPath: string, manifest: Manifest): Promise<void> {
  await replaceFileAtomically(join(targetPath, MANIFEST_FILE), formatManifest(manifest));
}
