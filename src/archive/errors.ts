/**
 * Typed errors of the archive module: an English message for logs and developers, and a
 * Russian `userMessage` for the school user.
 */
import { archiveMessages } from "./messages.ru.ts";

export class ArchiveError extends Error {
  readonly userMessage: string;
  constructor(message: string, userMessage: string) {
    super(message);
    this.name = new.target.name;
    this.userMessage = userMessage;
  }
}

/** A program the archive needs (java + PDFBox Preflight, openssl, an external signer) is not installed. */
export class ToolMissingError extends ArchiveError {
  constructor(tool: string, packages: string, detail = "") {
    super(
      `${tool} is not installed${detail ? ` (${detail})` : ""}; install Debian packages: ${packages}`,
      archiveMessages.toolMissing(tool, packages),
    );
  }
}

/** An external command exited non-zero or was killed. */
export class CommandFailedError extends ArchiveError {
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(program: string, exitCode: number | null, stderr: string) {
    super(
      `${program} exited with code ${exitCode}: ${stderr.trim().slice(-600)}`,
      archiveMessages.commandFailed(program),
    );
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export class CommandTimeoutError extends ArchiveError {
  constructor(program: string, timeoutMs: number) {
    super(
      `${program} did not finish within ${timeoutMs} ms and was killed`,
      archiveMessages.commandTimedOut(program, Math.round(timeoutMs / 1000)),
    );
  }
}

export class ArchiveConfigError extends ArchiveError {
  constructor(what: string) {
    super(`invalid archive configuration: ${what}`, archiveMessages.badConfig(what));
  }
}

/** The archive never overwrites: a write whose destination exists is refused. */
export class OutputExistsError extends ArchiveError {
  constructor(file: string) {
    super(`refusing to overwrite existing file ${file}`, archiveMessages.outputExists(file));
  }
}

export class BadArchiveNameError extends ArchiveError {
  constructor(name: string, why: string) {
    super(`invalid archive file name ${JSON.stringify(name)}: ${why}`, archiveMessages.badFileName(name));
  }
}
