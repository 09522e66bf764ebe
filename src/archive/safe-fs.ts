/**
 * File writes the archive can trust: content goes to a temporary file in the destination folder,
 * is flushed to the medium, and only then appears under its name. A new archive file never replaces
 * an existing one; only the archive's own indexes (manifest, registry) are atomically replaced.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OutputExistsError } from "./errors.ts";

function tempNameFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.tmp-${randomBytes(6).toString("hex")}`);
}

export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Moves a finished temp file to dest, failing if dest exists (hard link where the medium has them). */
export async function publishNoOverwrite(temp: string, dest: string): Promise<void> {
  try {
    await link(temp, dest);
    await rm(temp, { force: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      await rm(temp, { force: true });
      throw new OutputExistsError(dest);
    }
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") {
      await rm(temp, { force: true });
      throw error;
    }
  }
  // media without hard links (FAT, exFAT, some network shares): check, then rename
  if (await exists(dest)) {
    await rm(temp, { force: true });
    throw new OutputExistsError(dest);
  }
  await rename(temp, dest);
}

/** Writes data to a new file; throws OutputExistsError if dest already exists. */
export async function writeNewFile(dest: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = tempNameFor(dest);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await publishNoOverwrite(temp, dest);
}

/** Copies src to a new file dest (temp + flush + publish); throws OutputExistsError if dest exists. */
export async function copyNewFile(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = tempNameFor(dest);
  await copyFile(src, temp, constants.COPYFILE_EXCL);
  try {
    await fsyncFile(temp);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await publishNoOverwrite(temp, dest);
}

/** Atomically replaces (or creates) one of the archive's index files. */
export async function replaceFileAtomically(dest: string, data: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = tempNameFor(dest);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, dest);
}
