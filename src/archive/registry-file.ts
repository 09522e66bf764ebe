/**
 * `registry.json` on each storage target: what this medium holds (the реестр of 001 §3.1 for the
 * medium itself, so a medium found in a safe explains itself without the database).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ArchiveConfigError } from "./errors.ts";
import { documentKindSchema } from "./retention.ts";
import { replaceFileAtomically } from "./safe-fs.ts";

export const REGISTRY_FILE = "registry.json";

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** What the caller knows about the document being archived. */
export const registryEntryInputSchema = z.object({
  /** The school's store id (its folder on the medium); absent in entries written before it was kept. */
  school: z.string().min(1).optional(),
  schoolName: z.string().min(1).optional(),
  class: z.string().min(1),
  period: z.string().min(1),
  year: z.string().min(1),
  kind: documentKindSchema.default("journal"),
  signer: z.string().optional(),
  signedAt: z.string().optional(),
  signatureKind: z.enum(["pades", "cms", "external"]).optional(),
  /** Whether the signer's certificate was verified against trusted CA certificates when archived. */
  signerVerified: z.boolean().optional(),
  retentionUntil: z.iso.date(),
});
export type RegistryEntryInput = z.input<typeof registryEntryInputSchema>;

export const registryEntrySchema = registryEntryInputSchema.extend({
  /** Path of the document on the medium, relative to the target root. */
  file: z.string().min(1),
  sha256: sha256Schema,
  /** Every file of the document (itself first, then e.g. its `.sig`) with its hash. */
  files: z.array(z.object({ file: z.string().min(1), sha256: sha256Schema })).min(1),
  archivedAt: z.iso.datetime({ offset: true }),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

export const registryFileSchema = z.object({
  format: z.literal("reglament-archive-registry"),
  version: z.literal(1),
  entries: z.array(registryEntrySchema),
});
export type RegistryFile = z.infer<typeof registryFileSchema>;

export function emptyRegistry(): RegistryFile {
  return { format: "reglament-archive-registry", version: 1, entries: [] };
}

/** Reads a target's registry; a missing file is an empty registry, a malformed one is an error. */
export async function readRegistry(targetPath: string): Promise<RegistryFile> {
  const path = join(targetPath, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyRegistry();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ArchiveConfigError(`${path}: not JSON (${(error as Error).message})`);
  }
  const parsed = registryFileSchema.safeParse(json);
  if (!parsed.success) throw new ArchiveConfigError(`${path}: ${parsed.error.message}`);
  return parsed.data;
}

export async function writeRegistry(targetPath: string, registry: RegistryFile): Promise<void> {
  const sorted = { ...registry, entries: [...registry.entries].sort((a, b) => (a.file < b.file ? -1 : 1)) };
  await replaceFileAtomically(join(targetPath, REGISTRY_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Inserts or replaces the entry for the same document file. */
export function upsertEntry(registry: RegistryFile, entry: RegistryEntry): RegistryFile {
  return { ...registry, entries: [...registry.entries.filter((e) => e.file !== entry.file), entry] };
}
