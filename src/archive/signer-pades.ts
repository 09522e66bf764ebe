/**
 * PAdES signature inside the PDF (SubFilter ETSI.CAdES.detached) with a PKCS#12 certificate, by the
 * chain verified in ANCHORS §4.1: pdf-lib with updateMetadata:false (so the PDF/A Info and XMP stay
 * consistent), the @signpdf pdf-lib placeholder, save without object streams.
 * The CMS is made by OpenSSL (CAdES-BES, with signingCertificateV2), not by @signpdf's P12Signer:
 * node-forge re-encodes the issuer name of a parsed certificate and double-encodes UTF8String values,
 * so with any Cyrillic-named CA (every Russian one) P12Signer's issuerAndSerialNumber matches no
 * certificate and OpenSSL and poppler report "signer certificate not found".
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { SignPdf } from "@signpdf/signpdf";
import { Signer as SignpdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { PDFDocument } from "pdf-lib";
import { z } from "zod";
import { ArchiveConfigError } from "./errors.ts";
import { archiveMessages } from "./messages.ru.ts";
import { signBytesWithPkcs12, verifyDetachedCms } from "./openssl-cms.ts";
import { type Pkcs12Material, pkcs12Loader } from "./pkcs12.ts";
import { writeNewFile } from "./safe-fs.ts";
import type { SignatureCheck, Signer, SignResult } from "./signer.ts";

export const padesSignerOptionsSchema = z.object({
  /** PKCS#12 file: a path or its bytes. */
  p12: z.union([z.string().min(1), z.custom<Uint8Array>((value) => value instanceof Uint8Array, "bytes")]),
  passphrase: z.string().default(""),
  reason: z.string().default("Архивная копия электронного журнала"),
  location: z.string().default(""),
  contactInfo: z.string().default(""),
  /** Signer name written in the signature dictionary; defaults to the certificate's CN. */
  name: z.string().optional(),
  /** Bytes reserved for the CMS; the chain of a real CA certificate needs more than a test one. */
  signatureLength: z.number().int().min(2048).default(16_384),
  /** Trusted CA certificates (PEM) for verification; without them only integrity is checked. */
  caFile: z.string().optional(),
});
export type PadesSignerOptions = z.input<typeof padesSignerOptionsSchema>;

/** A PDF text string: PDFDocEncoding-safe ASCII as is, anything else UTF-16BE with BOM, escaped for a literal. */
export function pdfTextLiteral(text: string): string {
  const ascii = /^[\x20-\x7e]*$/.test(text);
  let raw = text;
  if (!ascii) {
    raw = "\xfe\xff";
    for (const unit of Buffer.from(text, "utf16le").swap16()) raw += String.fromCharCode(unit);
  }
  return raw.replace(
    /[\\()\r\n]/g,
    (ch) => ({ "\\": "\\\\", "(": "\\(", ")": "\\)", "\r": "\\r", "\n": "\\n" })[ch]!,
  );
}

interface SignatureSlot {
  byteRange: [number, number, number, number];
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

function findSignatureSlots(pdf: Buffer): SignatureSlot[] {
  const text = pdf.toString("latin1");
  return [...text.matchAll(BYTE_RANGE)].map((m) => ({
    byteRange: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])],
  }));
}

/** Length of the DER object at the start of `der` (the CMS inside its zero-padded /Contents). */
function derLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1];
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i];
  return 2 + count + length;
}

type SlotCheck =
  | { ok: true; signedContent: Buffer; cms: Buffer }
  | { ok: false; reason: string; detail: string };

function checkSlot(pdf: Buffer, slot: SignatureSlot): SlotCheck {
  const [start, firstLength, secondStart, secondLength] = slot.byteRange;
  const bad = (detail: string): SlotCheck => ({
    ok: false,
    reason: archiveMessages.signature.badByteRange,
    detail,
  });
  if (start !== 0) return bad("ByteRange does not start at 0");
  if (secondStart <= firstLength || secondStart + secondLength > pdf.length)
    return bad("ByteRange out of bounds");
  if (pdf[firstLength] !== 0x3c || pdf[secondStart - 1] !== 0x3e) return bad("ByteRange gap is not <hex>");
  const hex = pdf.subarray(firstLength + 1, secondStart - 1).toString("latin1");
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return bad("signature /Contents is not hex");
  const padded = Buffer.from(hex, "hex");
  const length = derLength(padded);
  if (length === undefined || length > padded.length) return bad("signature /Contents is not a DER object");
  const signedContent = Buffer.concat([
    pdf.subarray(start, start + firstLength),
    pdf.subarray(secondStart, secondStart + secondLength),
  ]);
  return { ok: true, signedContent, cms: padded.subarray(0, length) };
}

/** @signpdf signer producing the CMS with OpenSSL from the PKCS#12 material. */
class OpenSslPkcs12Signer extends SignpdfSigner {
  constructor(private readonly material: Pkcs12Material) {
    super();
  }
  async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return signBytesWithPkcs12(pdfBuffer, this.material);
  }
}

export class PadesSigner implements Signer {
  readonly kind = "pades" as const;
  private readonly options: z.infer<typeof padesSignerOptionsSchema>;
  private readonly material: () => Promise<Pkcs12Material>;

  constructor(options: PadesSignerOptions) {
    const parsed = padesSignerOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ArchiveConfigError(`PAdES signer: ${parsed.error.message}`);
    this.options = parsed.data;
    this.material = pkcs12Loader(parsed.data.p12, parsed.data.passphrase);
  }

  /** Writes `<outDir>/<same name>` signed; the source is left as it is. */
  async sign(pdfPath: string, outDir: string): Promise<SignResult> {
    const out = join(outDir, basename(pdfPath));
    if (resolve(out) === resolve(pdfPath))
      throw new ArchiveConfigError("PAdES outDir must differ from the source folder");
    const material = await this.material(); // fails early, with a clear error, on a bad p12
    const signingTime = new Date();
    const doc = await PDFDocument.load(await readFile(pdfPath), { updateMetadata: false });
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: pdfTextLiteral(this.options.reason),
      contactInfo: pdfTextLiteral(this.options.contactInfo),
      name: pdfTextLiteral(this.options.name ?? material.commonName ?? ""),
      location: pdfTextLiteral(this.options.location),
      signingTime,
      signatureLength: this.options.signatureLength,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    });
    const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
    const signed = await new SignPdf().sign(prepared, new OpenSslPkcs12Signer(material), signingTime);
    await writeNewFile(out, signed);
    return { files: [out] };
  }

  async verify(files: readonly string[]): Promise<SignatureCheck> {
    const pdfPath = files.find((f) => f.toLowerCase().endsWith(".pdf")) ?? files[0];
    if (!pdfPath) return { valid: false, reason: archiveMessages.signature.missingFiles };
    return verifyPadesFile(pdfPath, { caFile: this.options.caFile });
  }
}

/** Checks every signature of a PDF and that the last one covers the whole file. */
export async function verifyPadesFile(
  pdfPath: string,
  options: { caFile?: string } = {},
): Promise<SignatureCheck> {
  const pdf = await readFile(pdfPath);
  const slots = findSignatureSlots(pdf);
  if (slots.length === 0) return { valid: false, reason: archiveMessages.signature.noSignature };
  const dir = await mkdtemp(join(tmpdir(), "reglament-pades-"));
  try {
    let last: SignatureCheck = { valid: false };
    for (const [index, slot] of slots.entries()) {
      const check = checkSlot(pdf, slot);
      if (!check.ok) return { valid: false, reason: check.reason, detail: check.detail };
      const contentFile = join(dir, `content-${index}`);
      const cmsFile = join(dir, `cms-${index}.der`);
      await writeFile(contentFile, check.signedContent);
      await writeFile(cmsFile, check.cms);
      last = await verifyDetachedCms(contentFile, cmsFile, { caFile: options.caFile });
      if (!last.valid) return last;
    }
    const [, , secondStart, secondLength] = slots[slots.length - 1].byteRange;
    if (secondStart + secondLength !== pdf.length) {
      return {
        ...last,
        valid: false,
        reason: archiveMessages.signature.notWholeFile,
        detail: `signature covers ${secondStart + secondLength} of ${pdf.length} bytes`,
      };
    }
    return last;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
