/**
 * PDF/A-1b validation with Apache PDFBox Preflight from Debian (veraPDF is not installable from
 * the registries this project reaches; ANCHORS §4.4). One JVM per file, XML report parsed here.
 */
import { access } from "node:fs/promises";
import { z } from "zod";
import { runCommand } from "./command.ts";
import { ArchiveConfigError, CommandFailedError, ToolMissingError } from "./errors.ts";

export const PREFLIGHT_PACKAGES = "default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java";

/** Jars of Debian bookworm's libpdfbox2-java 2.0.27 and its runtime dependencies. */
export const DEFAULT_PREFLIGHT_CLASSPATH = [
  "/usr/share/java/preflight.jar",
  "/usr/share/java/pdfbox2.jar",
  "/usr/share/java/xmpbox.jar",
  "/usr/share/java/fontbox2.jar",
  "/usr/share/java/commons-logging.jar",
  "/usr/share/java/javax.activation.jar",
  "/usr/share/java/jaxb-api.jar",
];

export const preflightOptionsSchema = z.object({
  java: z.string().min(1).default("java"),
  /** Overrides the jar list, e.g. on a distribution that installs them elsewhere. */
  classpath: z.array(z.string().min(1)).min(1).default(DEFAULT_PREFLIGHT_CLASSPATH),
  timeoutMs: z.number().int().positive().default(120_000),
});
export type PreflightOptions = z.input<typeof preflightOptionsSchema>;

export interface PdfAResult {
  valid: boolean;
  /** Preflight findings as "<clause> : <detail>", e.g. "1.4.1 : Trailer Syntax error, …". */
  errors: string[];
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}

/** Parses Preflight's `xml` report (one <preflight> element). */
export function parsePreflightXml(xml: string): PdfAResult {
  const validMatch = /<isValid[^>]*>(true|false)<\/isValid>/.exec(xml);
  if (!validMatch) throw new Error(`unexpected Preflight output: ${xml.slice(0, 300)}`);
  const errors: string[] = [];
  for (const m of xml.matchAll(/<error\b[^>]*>\s*<code>([^<]*)<\/code>\s*<details>([^<]*)<\/details>/g)) {
    errors.push(`${decodeXml(m[1])} : ${decodeXml(m[2])}`);
  }
  return { valid: validMatch[1] === "true" && errors.length === 0, errors };
}

async function checkInstalled(classpath: readonly string[]): Promise<void> {
  for (const jar of classpath) {
    try {
      await access(jar);
    } catch {
      throw new ToolMissingError("PDFBox Preflight", PREFLIGHT_PACKAGES, `${jar} not found`);
    }
  }
}

/** Validates one file against PDF/A-1b. Throws ToolMissingError when Java or Preflight is absent. */
export async function validatePdfA1b(file: string, options: PreflightOptions = {}): Promise<PdfAResult> {
  const parsed = preflightOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ArchiveConfigError(`preflight options: ${parsed.error.message}`);
  const { java, classpath, timeoutMs } = parsed.data;
  await checkInstalled(classpath);
  await access(file); // a missing input is the caller's error, not an invalid PDF
  const result = await runCommand(
    [java, "-cp", classpath.join(":"), "org.apache.pdfbox.preflight.Validator_A1b", "xml", file],
    { timeoutMs, packages: PREFLIGHT_PACKAGES },
  );
  const xml = result.stdout.toString("utf8");
  if (!xml.includes("<preflight")) throw new CommandFailedError(java, result.exitCode, result.stderr || xml);
  return parsePreflightXml(xml);
}
