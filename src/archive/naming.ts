/**
 * Archive file names `<год>_<период>_<класс>.pdf` (001 §3.1) from a configurable template. Cyrillic
 * is kept (NFC); anything a file system or `sha256sum -c` could misread becomes "-".
 */
import { z } from "zod";
import { BadArchiveNameError } from "./errors.ts";

export const DEFAULT_NAME_TEMPLATE = "{year}_{period}_{class}.pdf";

export const archiveNamePartsSchema = z.object({
  /** School year, e.g. "2025-2026". */
  year: z.string().min(1),
  /** Period as the school names it, e.g. "2", "1 полугодие", "год". */
  period: z.string().min(1),
  /** Class, e.g. "5А". */
  class: z.string().min(1),
});
export type ArchiveNameParts = z.infer<typeof archiveNamePartsSchema>;

// separators, characters Windows forbids, and controls (sha256sum escapes "\" and newlines in manifests)
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;
const MAX_NAME_BYTES = 255;

/** Makes one value safe inside a file name. */
export function sanitizeNamePart(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").replace(UNSAFE, "-").trim();
}

function checkName(name: string): string {
  if (name === "" || name === "." || name === "..") throw new BadArchiveNameError(name, "empty");
  if (/^[ .]|[ .]$/.test(name)) throw new BadArchiveNameError(name, "starts or ends with a dot or space");
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name))
    throw new BadArchiveNameError(name, "reserved on Windows");
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES)
    throw new BadArchiveNameError(name, "longer than 255 bytes");
  return name;
}

/** `{year}_{period}_{class}.pdf` → `2025-2026_2_5А.pdf`. */
export function archiveFileName(parts: ArchiveNameParts, template: string = DEFAULT_NAME_TEMPLATE): string {
  const parsed = archiveNamePartsSchema.safeParse(parts);
  if (!parsed.success) throw new BadArchiveNameError(JSON.stringify(parts), parsed.error.message);
  if (template.replace(/\{[a-z]+\}/g, "").match(UNSAFE)) {
    throw new BadArchiveNameError(template, "template contains a path separator or forbidden character");
  }
  const values: Record<string, string> = parsed.data;
  const name = template.replace(/\{([a-z]+)\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new BadArchiveNameError(template, `unknown placeholder {${key}}`);
    const safe = sanitizeNamePart(value);
    if (safe === "") throw new BadArchiveNameError(value, `empty ${key}`);
    return safe;
  });
  return checkName(name.normalize("NFC"));
}

/**
 * The folder of a school's files under an archive target or the reports folder: its store id (stable
 * across renames, unique where names are not), safe as one path component.
 */
export function schoolFolderName(schoolId: string): string {
  const safe = sanitizeNamePart(schoolId);
  if (safe === "") throw new BadArchiveNameError(schoolId, "empty school id");
  return checkName(safe);
}

/**
 * A file name from a readable stem and an extension: the stem made safe (see sanitizeNamePart) and
 * cut to fit 255 bytes, e.g. «Ведомость успеваемости 5А, 2 четверть 2025-2026» + "xlsx".
 */
export function readableFileName(stem: string, extension: string): string {
  let safe = sanitizeNamePart(stem).replace(/^[ .]+|[ .]+$/g, "");
  const suffix = `.${extension}`;
  while (Buffer.byteLength(safe + suffix, "utf8") > MAX_NAME_BYTES) safe = safe.slice(0, -1).trimEnd();
  if (safe === "") throw new BadArchiveNameError(stem, "empty");
  return checkName(`${safe}${suffix}`);
}

/** `x.pdf`, 2 → `x_v2.pdf`; version 1 is the name itself. */
export function withVersionSuffix(name: string, version: number): string {
  if (version <= 1) return name;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)}_v${version}${name.slice(dot)}` : `${name}_v${version}`;
}
