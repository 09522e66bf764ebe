// Reads and checks a dataset folder's manifest.json; every problem names the file and the key.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Manifest, manifestSchema } from "../../model/records.ts";

export class DatasetError extends Error {}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, "manifest.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new DatasetError(`${file}: not found — is ${dir} a reglament dataset folder?`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(`${file}: key "${issue.path.join(".") || "(root)"}": ${issue.message}`);
  }
  return parsed.data;
}
