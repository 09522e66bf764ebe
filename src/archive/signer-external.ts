/**
 * An external signing program (CryptoPro `cryptcp`, an HSM client, `openssl cms` with gost-engine)
 * configured as command templates: `{in}` the document, `{out}` the signature to write; for checking,
 * `{in}` and `{sig}`. Run without a shell, with a timeout; exit code 0 means success.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { readCmsInfo } from "./cms-info.ts";
import { fillTemplate, requirePlaceholders, runCommand, splitCommandTemplate } from "./command.ts";
import { ArchiveConfigError, CommandFailedError, OutputExistsError } from "./errors.ts";
import { archiveMessages } from "./messages.ru.ts";
import { exists, fsyncFile, publishNoOverwrite } from "./safe-fs.ts";
import type { SignatureCheck, Signer, SignResult } from "./signer.ts";
import { placeDocument, signatureExtensionSchema, splitSignedFiles } from "./signer-cms.ts";

export const externalSignerOptionsSchema = z.object({
  /** e.g. `cryptcp -sign -detached -der -thumbprint ABC… {in} {out}` */
  signCommand: z.string().min(1),
  /** e.g. `cryptcp -verify -detached {in} {sig}`; exit code 0 = valid. */
  verifyCommand: z.string().min(1),
  signatureExtension: signatureExtensionSchema,
  timeoutMs: z.number().int().positive().default(120_000),
  /** Added to the environment of both commands (e.g. OPENSSL_CONF for gost-engine). */
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
});
export type ExternalSignerOptions = z.input<typeof externalSignerOptionsSchema>;

export class ExternalSigner implements Signer {
  readonly kind = "external" as const;
  private readonly options: z.infer<typeof externalSignerOptionsSchema>;
  private readonly signArgv: string[];
  private readonly verifyArgv: string[];

  constructor(options: ExternalSignerOptions) {
    const parsed = externalSignerOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ArchiveConfigError(`external signer: ${parsed.error.message}`);
    this.options = parsed.data;
    requirePlaceholders(this.options.signCommand, ["in", "out"], "signCommand");
    requirePlaceholders(this.options.verifyCommand, ["in", "sig"], "verifyCommand");
    this.signArgv = splitCommandTemplate(this.options.signCommand);
    this.verifyArgv = splitCommandTemplate(this.options.verifyCommand);
    // fail at configuration time on an unknown placeholder, not at the first signature
    fillTemplate(this.signArgv, { in: "", out: "" });
    fillTemplate(this.verifyArgv, { in: "", sig: "" });
  }

  private run(argv: string[]) {
    return runCommand(argv, {
      timeoutMs: this.options.timeoutMs,
      env: this.options.env,
      cwd: this.options.cwd,
      packages: "the signer's own package (e.g. CryptoPro CSP) or openssl + libengine-gost-openssl",
    });
  }

  async sign(pdfPath: string, outDir: string): Promise<SignResult> {
    const signaturePath = join(outDir, basename(pdfPath) + this.options.signatureExtension);
    if (await exists(signaturePath)) throw new OutputExistsError(signaturePath);
    const document = await placeDocument(pdfPath, outDir);
    // the tool writes a temp name; it appears under its real name only when complete
    const temp = join(outDir, `.${basename(signaturePath)}.tmp-${randomBytes(6).toString("hex")}`);
    try {
      const result = await this.run(fillTemplate(this.signArgv, { in: document, out: temp }));
      if (result.exitCode !== 0)
        throw new CommandFailedError(this.signArgv[0], result.exitCode, result.stderr);
      const size = await stat(temp).then(
        (s) => s.size,
        () => 0,
      );
      if (size === 0) {
        throw new CommandFailedError(
          this.signArgv[0],
          result.exitCode,
          "the signer wrote no signature to {out}",
        );
      }
      await fsyncFile(temp);
      await publishNoOverwrite(temp, signaturePath);
    } finally {
      await rm(temp, { force: true });
    }
    return { files: [document, signaturePath] };
  }

  async verify(files: readonly string[]): Promise<SignatureCheck> {
    const pair = splitSignedFiles(files, this.options.signatureExtension);
    if (!pair) return { valid: false, reason: archiveMessages.signature.missingFiles };
    const result = await this.run(fillTemplate(this.verifyArgv, { in: pair.document, sig: pair.signature }));
    const info = readCmsInfo(await readFile(pair.signature));
    // the configured tool (e.g. cryptcp -verify) checks the chain against its own trusted store
    if (result.exitCode === 0) return { valid: true, signerVerified: true, ...info };
    return {
      valid: false,
      ...info,
      reason: archiveMessages.signature.invalid,
      detail: `${this.verifyArgv[0]} exited ${result.exitCode}: ${result.stderr.trim().slice(-600)}`,
    };
  }
}
