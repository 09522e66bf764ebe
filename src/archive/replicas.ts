/**
 * Replicas of the archive on several storage targets (folders on different media in different places,
 * 004 §5.2): write without ever overwriting, keep a sha256sum manifest and a registry on each, re-hash
 * everything on demand (fixity), and repair a lost or changed replica from a healthy one.
 */
import { mkdir, rename } from "node:fs/promises";
import { basename, dirname, join, posix, resolve } from "node:path";
import { z } from "zod";
import { ArchiveConfigError, ArchiveError } from "./errors.ts";
import { checkRelativePath, type Manifest, readManifest, sha256File, writeManifest } from "./manifest.ts";
import { archiveMessages } from "./messages.ru.ts";
import { withVersionSuffix } from "./naming.ts";
import {
  type RegistryEntry,
  type RegistryEntryInput,
  type RegistryFile,
  readRegistry,
  registryEntryInputSchema,
  upsertEntry,
  writeRegistry,
} from "./registry-file.ts";
import { copyNewFile, exists } from "./safe-fs.ts";
import { SIGNATURE_VERDICT_TEXT, type SignatureVerdict, type Signer, signatureVerdict } from "./signer.ts";
import { withTargetLocks } from "./target-lock.ts";

export const storageTargetSchema = z.object({
  /** Stable short id used in reports, e.g. "safe-director", "archive-room". */
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  /** Folder where the medium is mounted. */
  path: z.string().min(1),
  /** What and where the medium is, for people (e.g. "USB-диск, сейф директора"). */
  description: z.string().optional(),
});
export type StorageTarget = z.infer<typeof storageTargetSchema>;

export const QUARANTINE_DIR = ".quarantine";

export class TooFewTargetsError extends ArchiveError {
  constructor(min: number, got: number) {
    super(
      `archive needs at least ${min} distinct storage targets, got ${got}`,
      archiveMessages.tooFewTargets(min),
    );
  }
}

function parseTargets(targets: readonly StorageTarget[], minTargets: number): StorageTarget[] {
  const parsed = z.array(storageTargetSchema).safeParse(targets);
  if (!parsed.success) throw new ArchiveConfigError(`storage targets: ${parsed.error.message}`);
  const ids = new Set(parsed.data.map((t) => t.id));
  const paths = new Set(parsed.data.map((t) => resolve(t.path)));
  if (ids.size !== parsed.data.length || paths.size !== parsed.data.length) {
    throw new ArchiveConfigError("storage targets must have distinct ids and distinct folders");
  }
  if (parsed.data.length < minTargets) throw new TooFewTargetsError(minTargets, parsed.data.length);
  return parsed.data;
}

// ---------------------------------------------------------------- writing

export interface WriteReplicasOptions {
  /** Path of the document inside each target, e.g. "sch1/2025-2026/2025-2026_2_5А.pdf"; default its own name. */
  relativePath?: string;
  /** Registry fields given by the caller (class, period, year, signer, signedAt, retentionUntil…). */
  entry: RegistryEntryInput;
  /** Refuse fewer targets than this (004 §5.2: at least two media). */
  minTargets?: number;
}

export interface WriteReplicasResult {
  /** The registry entry written on every target (file = final relative path, version suffix included). */
  entry: RegistryEntry;
  /** 1 for the plain name, 2 for `_v2`, … */
  version: number;
}

/** Relative paths of the document and its companions (`x.pdf.sig` follows `x.pdf` → `x_v2.pdf.sig`). */
function plannedPaths(sources: readonly string[], documentPath: string, version: number): string[] {
  const docName = basename(sources[0]);
  const dir = posix.dirname(documentPath);
  const versioned = withVersionSuffix(posix.basename(documentPath), version);
  const inDir = (name: string) => (dir === "." ? name : `${dir}/${name}`);
  return sources.map((src, index) => {
    if (index === 0) return inDir(versioned);
    const name = basename(src);
    return inDir(
      name.startsWith(docName) ? versioned + name.slice(docName.length) : withVersionSuffix(name, version),
    );
  });
}

/**
 * Copies the document (first of `files`) and its companions to every target. An existing name is
 * never overwritten: the first version free on all targets is used (`…_v2.pdf`). Each copy is
 * re-hashed before the target's manifest and registry are atomically updated.
 */
export async function writeReplicas(
  files: string | readonly string[],
  targets: readonly StorageTarget[],
  options: WriteReplicasOptions,
): Promise<WriteReplicasResult> {
  const sources = typeof files === "string" ? [files] : [...files];
  if (sources.length === 0) throw new ArchiveConfigError("writeReplicas needs at least one file");
  const valid = parseTargets(targets, options.minTargets ?? 2);
  const entryInput = registryEntryInputSchema.safeParse(options.entry);
  if (!entryInput.success) throw new ArchiveConfigError(`registry entry: ${entryInput.error.message}`);
  const documentPath = checkRelativePath(options.relativePath ?? basename(sources[0]));
  const hashes = await Promise.all(sources.map(sha256File));
  for (const target of valid) await mkdir(target.path, { recursive: true });

  return withTargetLocks(
    valid.map((t) => t.path),
    async () => {
      const manifests = await Promise.all(valid.map((t) => readManifest(t.path)));
      const registries = await Promise.all(valid.map((t) => readRegistry(t.path)));
      let version = 1;
      let paths = plannedPaths(sources, documentPath, version);
      for (;;) {
        let taken = false;
        for (const [i, target] of valid.entries()) {
          for (const rel of paths) {
            if (manifests[i].has(rel) || (await exists(join(target.path, rel)))) taken = true;
          }
        }
        if (!taken) break;
        version += 1;
        paths = plannedPaths(sources, documentPath, version);
      }
      paths.forEach(checkRelativePath);

      const entry: RegistryEntry = {
        ...entryInput.data,
        file: paths[0],
        sha256: hashes[0],
        files: paths.map((file, i) => ({ file, sha256: hashes[i] })),
        archivedAt: new Date().toISOString(),
      };
      for (const [i, target] of valid.entries()) {
        for (const [k, rel] of paths.entries()) {
          const dest = join(target.path, rel);
          await copyNewFile(sources[k], dest);
          const copied = await sha256File(dest);
          if (copied !== hashes[k]) {
            throw new ArchiveError(
              `copy to ${target.id}:${rel} has sha256 ${copied}, expected ${hashes[k]}`,
              archiveMessages.replicaStatus.changed,
            );
          }
          manifests[i].set(rel, hashes[k]);
        }
        await writeManifest(target.path, manifests[i]);
        await writeRegistry(target.path, upsertEntry(registries[i], entry));
      }
      return { entry, version };
    },
  );
}

// ---------------------------------------------------------------- checking

export type ReplicaStatus = "ok" | "missing" | "changed" | "unsigned";

export interface ReplicaCheck {
  /** Path relative to the target root. */
  file: string;
  /** Target id. */
  target: string;
  status: ReplicaStatus;
  /** The hash the replicas agree on (undefined when they disagree with no majority). */
  expectedSha256?: string;
  actualSha256?: string;
  /** The signature check of a document copy, when one was made ("integrity-only" stays status ok). */
  signature?: SignatureVerdict;
  /** Why, for logs (English). */
  detail?: string;
}

interface TargetState {
  target: StorageTarget;
  manifest: Manifest;
  registry: RegistryFile;
}

async function loadStates(targets: readonly StorageTarget[]): Promise<TargetState[]> {
  return Promise.all(
    targets.map(async (target) => ({
      target,
      manifest: await readManifest(target.path),
      registry: await readRegistry(target.path),
    })),
  );
}

/** The claims with the most votes (several on a tie, none without claims). */
function leaders(claims: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const claim of claims) counts.set(claim, (counts.get(claim) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  return [...counts.entries()].filter(([, n]) => n === top && n > 0).map(([hash]) => hash);
}

/**
 * The hash a file should have. Every medium is one witness (what most of its own file, manifest line
 * and registry entry say; none on a tie), and so is the store's registry, written when the document
 * was signed: a medium rewritten consistently (file, manifest and registry alike) is still outvoted,
 * and on a tie the side the store's registry is on wins. Undefined when nothing decides.
 */
function referenceHash(
  mediumClaims: readonly (readonly string[])[],
  stored: string | undefined,
): string | undefined {
  const votes: string[] = [];
  for (const claims of mediumClaims) {
    const own = leaders(claims);
    if (own.length === 1) votes.push(own[0]);
  }
  if (stored) votes.push(stored);
  const top = leaders(votes);
  if (top.length === 1) return top[0];
  return stored && top.includes(stored) ? stored : undefined;
}

function signersByKind(signer: Signer | readonly Signer[] | undefined): Map<string, Signer> {
  const list = signer === undefined ? [] : Array.isArray(signer) ? signer : [signer as Signer];
  return new Map(list.map((s) => [s.kind, s]));
}

export interface VerifyReplicasOptions {
  /** Also check each document's signature (with the signer of the entry's signatureKind). */
  signer?: Signer | readonly Signer[];
  /** sha256 of each file (relative path) in the store's registry: one more witness in the vote. */
  registered?: ReadonlyMap<string, string>;
}

/** Re-hashes every file every target should hold (the union of all manifests and registries). */
export async function verifyReplicas(
  targets: readonly StorageTarget[],
  options: VerifyReplicasOptions = {},
): Promise<ReplicaCheck[]> {
  const states = await loadStates(parseTargets(targets, 1));
  const signers = signersByKind(options.signer);
  const files = new Set<string>();
  const inAnyRegistry = new Set<string>();
  const entryOfDocument = new Map<string, RegistryEntry>();
  for (const state of states) {
    for (const file of state.manifest.keys()) files.add(file);
    for (const entry of state.registry.entries) {
      for (const f of entry.files) {
        files.add(f.file);
        inAnyRegistry.add(f.file);
      }
      if (!entryOfDocument.has(entry.file)) entryOfDocument.set(entry.file, entry);
    }
  }

  const report: ReplicaCheck[] = [];
  for (const file of [...files].sort()) {
    const actual = await Promise.all(
      states.map(async (s) =>
        (await exists(join(s.target.path, file))) ? sha256File(join(s.target.path, file)) : undefined,
      ),
    );
    const claims = states.map((state, i) => {
      const own: string[] = [];
      const listed = state.manifest.get(file);
      if (listed) own.push(listed);
      for (const entry of state.registry.entries) {
        const inEntry = entry.files.find((f) => f.file === file);
        if (inEntry) own.push(inEntry.sha256);
      }
      const real = actual[i];
      if (real) own.push(real);
      return own;
    });
    const expected = referenceHash(claims, options.registered?.get(file));
    for (const [i, state] of states.entries()) {
      const base = { file, target: state.target.id, expectedSha256: expected, actualSha256: actual[i] };
      const inRegistry = state.registry.entries.some((e) => e.files.some((f) => f.file === file));
      if (actual[i] === undefined) {
        report.push({ ...base, status: "missing", detail: "file not on the medium" });
      } else if (expected === undefined) {
        report.push({ ...base, status: "changed", detail: "replicas disagree and no majority decides" });
      } else if (actual[i] !== expected) {
        report.push({ ...base, status: "changed", detail: "content differs from the agreed sha256" });
      } else if (state.manifest.get(file) !== expected) {
        report.push({ ...base, status: "changed", detail: "manifest line missing or wrong" });
      } else if (!inRegistry && inAnyRegistry.has(file)) {
        report.push({ ...base, status: "changed", detail: "registry entry missing" });
      } else {
        report.push({ ...base, status: "ok" });
      }
    }
  }

  if (signers.size > 0) {
    for (const check of report) {
      const entry = entryOfDocument.get(check.file);
      if (!entry || check.status !== "ok") continue;
      const signer = entry.signatureKind ? signers.get(entry.signatureKind) : undefined;
      if (entry.signatureKind && !signer) continue; // no verifier of that kind given: not judged here
      if (!signer) {
        Object.assign(check, { status: "unsigned", detail: "registry entry has no signature" });
        continue;
      }
      const root = states.find((s) => s.target.id === check.target)!.target.path;
      const result = await signer.verify(entry.files.map((f) => join(root, f.file)));
      const verdict = signatureVerdict(result);
      check.signature = verdict;
      if (verdict === "invalid")
        Object.assign(check, { status: "unsigned", detail: result.detail ?? result.reason });
      else if (verdict === "integrity-only") check.detail = `signature ${SIGNATURE_VERDICT_TEXT[verdict]}`;
    }
  }
  return report;
}

// ---------------------------------------------------------------- repairing

export interface RepairAction {
  file: string;
  target: string;
  action: "restored" | "index-fixed" | "unrepairable";
  /** Target id the good copy came from. */
  from?: string;
  /** Where the damaged copy was moved (never deleted). */
  quarantined?: string;
  /** Russian, for the school's IT staff. */
  reason?: string;
}

/** Puts the agreed hash in the target's manifest and, if absent, the document's entry (from a donor) in its registry. */
async function fixIndexes(
  state: TargetState,
  file: string,
  sha256: string,
  donors: readonly TargetState[],
): Promise<void> {
  const manifest = await readManifest(state.target.path);
  manifest.set(file, sha256);
  await writeManifest(state.target.path, manifest);
  const registry = await readRegistry(state.target.path);
  if (registry.entries.some((e) => e.files.some((f) => f.file === file))) return;
  for (const donor of donors) {
    const entry = donor.registry.entries.find((e) => e.files.some((f) => f.file === file));
    if (entry) {
      await writeRegistry(state.target.path, upsertEntry(registry, entry));
      return;
    }
  }
}

/**
 * Repairs what verifyReplicas found missing or changed, copying from a replica whose content hashes
 * to the agreed sha256 (re-hashed now, never trusted from the report). A damaged copy is moved to
 * `.quarantine/<time>/` on its medium, never deleted. An invalid signature cannot be repaired by copying.
 */
export async function repairReplicas(
  report: readonly ReplicaCheck[],
  targets: readonly StorageTarget[],
): Promise<RepairAction[]> {
  const valid = parseTargets(targets, 1);
  const actions: RepairAction[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  await withTargetLocks(
    valid.map((t) => t.path),
    async () => {
      const states = await loadStates(valid);
      const byId = new Map(states.map((s) => [s.target.id, s]));
      for (const item of report) {
        if (item.status === "ok") continue;
        const state = byId.get(item.target);
        if (!state) continue;
        const unrepairable = (reason: string) =>
          actions.push({ file: item.file, target: item.target, action: "unrepairable", reason });
        if (item.status === "unsigned") {
          unrepairable(archiveMessages.repair.cannotResign);
          continue;
        }
        const expected = item.expectedSha256;
        if (!expected) {
          unrepairable(archiveMessages.repair.noHealthySource);
          continue;
        }
        const rel = checkRelativePath(item.file);
        const dest = join(state.target.path, rel);
        const current = (await exists(dest)) ? await sha256File(dest) : undefined;
        if (current === expected) {
          await fixIndexes(state, rel, expected, states);
          actions.push({ file: rel, target: item.target, action: "index-fixed" });
          continue;
        }
        let source: TargetState | undefined;
        for (const candidate of states) {
          if (candidate === state) continue;
          const path = join(candidate.target.path, rel);
          if ((await exists(path)) && (await sha256File(path)) === expected) {
            source = candidate;
            break;
          }
        }
        if (!source) {
          unrepairable(archiveMessages.repair.noHealthySource);
          continue;
        }
        let quarantined: string | undefined;
        if (current !== undefined) {
          quarantined = join(QUARANTINE_DIR, stamp, rel);
          await mkdir(dirname(join(state.target.path, quarantined)), { recursive: true });
          await rename(dest, join(state.target.path, quarantined));
        }
        await copyNewFile(join(source.target.path, rel), dest);
        if ((await sha256File(dest)) !== expected) {
          throw new ArchiveError(
            `repaired copy ${item.target}:${rel} does not hash to ${expected}`,
            archiveMessages.replicaStatus.changed,
          );
        }
        await fixIndexes(state, rel, expected, [source, ...states]);
        actions.push({
          file: rel,
          target: item.target,
          action: "restored",
          from: source.target.id,
          quarantined,
        });
      }
    },
  );
  return actions;
}
