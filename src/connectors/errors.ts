// Typed connector errors: what kind of failure, a Russian text for the user, the technical detail
// for logs (never personal data), and whether trying again later can help.
import { connectorMessages } from "./messages.ru.ts";

export type ConnectorErrorKind =
  | "auth-failed"
  | "not-permitted"
  | "not-found"
  | "rate-limited"
  | "platform-down"
  | "bad-payload"
  | "invalid-request";

export interface ConnectorErrorInit {
  /** Technical detail for logs: endpoint, status, platform error type. No personal data. */
  detail: string;
  /** Overrides the default Russian text of the kind. */
  userMessage?: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  /** The platform's own error code (e.g. Dnevnik `authorizationInvalidToken`). */
  platformType?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly userMessage: string;
  readonly detail: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly platformType?: string;

  constructor(
    kind: ConnectorErrorKind,
    retryable: boolean,
    defaultMessage: string,
    init: ConnectorErrorInit,
  ) {
    super(`${kind}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.retryable = retryable;
    this.userMessage = init.userMessage ?? defaultMessage;
    this.detail = init.detail;
    this.status = init.status;
    this.platformType = init.platformType;
  }
}

/** The token is missing, invalid or expired: a person must re-authorize; retrying does not help. */
export class AuthFailedError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("auth-failed", false, connectorMessages.authFailed, init);
  }
}

/** Authenticated, but the account or token scope does not cover this resource. */
export class NotPermittedError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("not-permitted", false, connectorMessages.notPermitted, init);
  }
}

export class NotFoundError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("not-found", false, connectorMessages.notFound, init);
  }
}

/** The platform throttles us; `retryAfterMs` says when to come back when the platform told us. */
export class RateLimitedError extends ConnectorError {
  readonly retryAfterMs?: number;
  constructor(init: ConnectorErrorInit & { retryAfterMs?: number }) {
    super("rate-limited", true, connectorMessages.rateLimited, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx, maintenance pages, timeouts, refused connections, or an open circuit breaker. */
export class PlatformDownError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("platform-down", true, connectorMessages.platformDown, init);
  }
}

/** The platform answered, but not in a shape we can read (broken JSON, HTML where JSON belongs). */
export class BadPayloadError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("bad-payload", false, connectorMessages.badPayload, init);
  }
}

/** The platform refused the request itself (400, `invalidRequest`, `parameterInvalid`): our bug or config. */
export class InvalidRequestError extends ConnectorError {
  constructor(init: ConnectorErrorInit) {
    super("invalid-request", false, connectorMessages.invalidRequest, init);
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}
