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
  valid: boolean;
  /** Who signed: the certificate subject's CN (or the whole subject when it has no CN). */
  signer?: string;
  /** ISO 8601 signing time from the CMS signed attributes (or the PDF signature dictionary). */
  signedAt?: string;
  /** Why it is invalid, in Russian for the school user. */
  reason?: string;
  /** Technical detail for logs (English / tool output). */
  detail?: string;
}

export interface Signer {
  readonly kind: SignerKind;
  sign(pdfPath: string, outDir: string): Promise<SignResult>;
  verify(files: readonly string[]): Promise<SignatureCheck>;
}
