/**
 * The `archive:` section of the configuration: storage targets (≥2 media in different places,
 * 004 §5.2), the director's signer, the file name template and retention (000 §6.5, 001 §6).
 */
import { z } from "zod";

export const archiveTargetConfigSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' or '-'"),
    path: z.string().min(1),
    description: z.string().optional(),
  })
  .strict();

export const archiveSignerConfigSchema = z
  .object({
    kind: z.enum(["pades", "cms", "external"]).default("pades"),
    /** PKCS#12 file of the director (pades, cms). Absent → the demo certificate (`npm start`) or an error. */
    p12: z.string().min(1).optional(),
    /** Name of the environment variable that holds the PKCS#12 passphrase (never the passphrase itself). */
    passphraseEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default("REGLAMENT_SIGN_PASSPHRASE"),
    /** Trusted CA certificates (PEM) for verification. */
    caFile: z.string().optional(),
    /** external: e.g. `cryptcp -sign -detached -der -thumbprint … {in} {out}` */
    signCommand: z.string().min(1).optional(),
    /** external: e.g. `cryptcp -verify -detached {in} {sig}` */
    verifyCommand: z.string().min(1).optional(),
    signatureExtension: z
      .string()
      .regex(/^\.[A-Za-z0-9]{1,8}$/)
      .default(".sig"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === "external" && (!s.signCommand || !s.verifyCommand)) {
      ctx.addIssue({ code: "custom", message: "kind external needs signCommand and verifyCommand" });
    }
  });

export const DEFAULT_ARCHIVE_TARGETS = [
  { id: "media-a", path: "./out/archive/media-a", description: "Носитель 1 (сейф директора)" },
  { id: "media-b", path: "./out/archive/media-b", description: "Носитель 2 (комната хранения архивов)" },
];

export const archiveConfigSchema = z
  .object({
    targets: z
      .array(archiveTargetConfigSchema)
      .min(2, "at least two storage targets in different places (004 §5.2)")
      .default(DEFAULT_ARCHIVE_TARGETS),
    signer: archiveSignerConfigSchema.default({
      kind: "pades",
      passphraseEnv: "REGLAMENT_SIGN_PASSPHRASE",
      signatureExtension: ".sig",
    }),
    nameTemplate: z.string().min(1).default("{year}_{period}_{class}.pdf"),
    retention: z
      .object({
        journalYears: z.number().int().positive().default(5),
        summaryYears: z.number().int().positive().default(25),
      })
      .strict()
      .default({ journalYears: 5, summaryYears: 25 }),
    /** Where the throwaway «ДЕМО» certificate is made when no p12 is configured (demo only). */
    demoCertDir: z.string().min(1).default("./data/demo-cert"),
    /** Working folder for journals before they are signed and replicated. */
    tmpDir: z.string().min(1).default("./data/archive-tmp"),
  })
  .strict();

export type ArchiveConfig = z.infer<typeof archiveConfigSchema>;
export type ArchiveSignerConfig = z.infer<typeof archiveSignerConfigSchema>;

export function defaultArchiveConfig(): ArchiveConfig {
  return archiveConfigSchema.parse({});
}
