/**
 * A detached CMS signature (DER CAdES-BES) in a `.sig` file beside the PDF — the form Russian tools
 * (CryptoPro cryptcp, КриптоАРМ) produce and check: the verifier needs both files.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ArchiveConfigError } from "./errors.ts";
import { archiveMessages } from "./messages.ru.ts";
import { signBytesWithPkcs12, verifyDetachedCms } from "./openssl-cms.ts";
import { type Pkcs12Material, pkcs12Loader } from "./pkcs12.ts";
import { copyNewFile, writeNewFile } from "./safe-fs.ts";
import type { SignatureCheck, Signer, SignResult } from "./signer.ts";

export const signatureExtensionSchema = z
  .string()
  .regex(/^\.[A-Za-z0-9]{1,8}$/, "an extension such as .sig, .sgn or .p7s")
  .default(".sig");

export const cmsSignerOptionsSchema = z.object({
  /** PKCS#12 file: a path or its bytes. */
  p12: z.union([z.string().min(1), z.custom<Uint8Array>((value) => value instanceof Uint8Array, "bytes")]),
  passphrase: z.string().default(""),
  signatureExtension: signatureExtensionSchema,
  /** Trusted CA certificates (PEM) for verification; without them only integrity is checked. */
  caFile: z.string().optional(),
});
export type CmsSignerOptions = z.input<typeof cmsSignerOptionsSchema>;

/** Puts the PDF into outDir (unless it is there already); returns its path there. */
export async function placeDocument(pdfPath: string, outDir: string): Promise<string> {
  const target = join(outDir, basename(pdfPath));
  if (resolve(dirname(pdfPath)) !== resolve(outDir)) await copyNewFile(pdfPath, target);
  return target;
}

/** Splits [document, signature] whatever their order, by the signature extension. */
export function splitSignedFiles(
  files: readonly string[],
  extension: string,
): { document: string; signature: string } | undefined {
  const ext = extension.toLowerCase();
  const signature = files.find((f) => f.toLowerCase().endsWith(ext));
  const document = files.find((f) => !f.toLowerCase().endsWith(ext));
  return signature && document ? { document, signature } : undefined;
}

export class CmsSigner implements Signer {
  readonly kind = "cms" as const;
  private readonly options: z.infer<typeof cmsSignerOptionsSchema>;
  private readonly material: () => Promise<Pkcs12Material>;

  constructor(options: CmsSignerOptions) {
    const parsed = cmsSignerOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ArchiveConfigError(`CMS signer: ${parsed.error.message}`);
    this.options = parsed.data;
    this.material = pkcs12Loader(parsed.data.p12, parsed.data.passphrase);
  }

  async sign(pdfPath: string, outDir: string): Promise<SignResult> {
    const { signatureExtension } = this.options;
    const material = await this.material();
    const signaturePath = join(outDir, basename(pdfPath) + signatureExtension);
    const document = await placeDocument(pdfPath, outDir);
    const signature = await signBytesWithPkcs12(await readFile(document), material);
    await writeNewFile(signaturePath, signature);
    return { files: [document, signaturePath] };
  }

  async verify(files: readonly string[]): Promise<SignatureCheck> {
    const pair = splitSignedFiles(files, this.options.signatureExtension);
    if (!pair) return { valid: false, reason: archiveMessages.signature.missingFiles };
    return verifyDetachedCms(pair.document, pair.signature, { caFile: this.options.caFile, cades: true });
  }
}
