/**
 * Runs external programs (java, openssl, a signer such as CryptoPro's cryptcp) without a shell:
 * a configured command template is split into argv here, placeholders are filled per argument,
 * so a path with spaces or quotes can never turn into extra arguments or shell syntax.
 */
import { spawn } from "node:child_process";
import { ArchiveConfigError, CommandFailedError, CommandTimeoutError, ToolMissingError } from "./errors.ts";

/** Splits a command template like a POSIX shell would split words: quotes and backslashes, nothing else. */
export function splitCommandTemplate(template: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\" && (template[i + 1] === '"' || template[i + 1] === "\\")) word += template[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\") {
      if (i + 1 >= template.length)
        throw new ArchiveConfigError(`command ends with a lone backslash: ${template}`);
      word += template[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new ArchiveConfigError(`unterminated ${quote} quote in command: ${template}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new ArchiveConfigError("empty command");
  return words;
}

/** Fills `{name}` placeholders inside each argument; an unknown or missing placeholder is a config error. */
export function fillTemplate(argv: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return argv.map((arg) =>
    arg.replace(/\{([a-zA-Z]+)\}/g, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new ArchiveConfigError(`unknown placeholder {${name}} in command`);
      return value;
    }),
  );
}

/** Fails unless every named placeholder appears in the template. */
export function requirePlaceholders(template: string, names: readonly string[], what: string): void {
  for (const name of names) {
    if (!template.includes(`{${name}}`)) throw new ArchiveConfigError(`${what} must contain {${name}}`);
  }
}

export interface RunOptions {
  timeoutMs?: number;
  /** Added to (not replacing) the current environment. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  input?: Buffer;
  /** Debian packages that provide the program, named in the error when it is missing. */
  packages?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

const OUTPUT_LIMIT = 16 * 1024 * 1024;

/** Runs argv[0] with the rest as arguments; resolves with the exit code, rejects on missing program or timeout. */
export function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [program, ...args] = argv;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      // own process group, so a timeout also stops what the program started (a wrapper's children)
      detached: true,
    });
    const out: Buffer[] = [];
    let outSize = 0;
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outSize += chunk.length;
      if (outSize <= OUTPUT_LIMIT) out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.length < OUTPUT_LIMIT) err += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT")
        reject(new ToolMissingError(program, options.packages ?? "(see docs)", "ENOENT"));
      else reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new CommandTimeoutError(program, timeoutMs));
      else resolve({ exitCode: code ?? -1, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on("error", () => {
      // the program may exit without reading its input; its exit code tells what happened
    });
    child.stdin.end(options.input);
  });
}

/** Like runCommand, but a non-zero exit is a CommandFailedError. */
export async function runChecked(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCommand(argv, options);
  if (result.exitCode !== 0) throw new CommandFailedError(argv[0], result.exitCode, result.stderr);
  return result;
}
