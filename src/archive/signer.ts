/**
 * The contract every archive signer keeps (PAdES inside the PDF, detached CMS `.sig`, an external
 * GOST tool). Signing writes new files into outDir and never overwrites; verification reads them back.
 */
export type SignerKind = "pades" | "cms" | "external";

export interface SignResult {
  /** Every file the archive must keep for this document, the document first (then its `.sig`, if any). */
  files: string[];
}

export interface SignatureCheck {
  /** The signature is intact over the content (and, with signerVerified, made by a trusted signer). */
  valid: boolean;
  /**
   * True only when the signer's certificate was checked against trusted CA certificates (caFile) or
   * by the external tool. A valid signature checked without them proves integrity, not who signed:
   * any self-made certificate can carry the director's name.
   */
  signerVerified?: boolean;
  /** Who signed: the certificate subject's CN (or the whole subject when it has no CN). */
  signer?: string;
  /** ISO 8601 signing time from the CMS signed attributes (or the PDF signature dictionary). */
  signedAt?: string;
  /** Why it is invalid, in Russian for the school user. */
  reason?: string;
  /** Technical detail for logs (English / tool output). */
  detail?: string;
}

/** What a check proves: a trusted signer, only the integrity of the content, or nothing. */
export type SignatureVerdict = "valid" | "integrity-only" | "invalid";

/** Never "valid" unless the signer was verified. */
export function signatureVerdict(check: SignatureCheck): SignatureVerdict {
  if (!check.valid) return "invalid";
  return check.signerVerified === true ? "valid" : "integrity-only";
}

/** The verdict as the CLI and logs print it. */
export const SIGNATURE_VERDICT_TEXT: Readonly<Record<SignatureVerdict, string>> = {
  valid: "valid",
  "integrity-only": "integrity only, signer not verified",
  invalid: "invalid",
};

export interface Signer {
  readonly kind: SignerKind;
  sign(pdfPath: string, outDir: string): Promise<SignResult>;
  verify(files: readonly string[]): Promise<SignatureCheck>;
}
