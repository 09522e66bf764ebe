// Registry of connector kinds: each kind brings a zod schema of its source config and a factory.
// `createConnector(sourceConfig)` validates the config (clear errors naming the key) and builds one.
import { z } from "zod";
import { type BarsConfig, barsConfigSchema } from "./bars/config.ts";
import { createBarsConnector } from "./bars/connector.ts";
import { type DnevnikConfig, dnevnikConfigSchema } from "./dnevnik/config.ts";
import { createDnevnikConnector } from "./dnevnik/connector.ts";
import type { RetryOptions } from "./http/backoff.ts";
import type { BreakerOptions } from "./http/circuit-breaker.ts";
import type { Clock } from "./http/clock.ts";
import type { RateLimitOptions } from "./http/rate-limiter.ts";
import { connectorMessages } from "./messages.ru.ts";
import { type MoodleConfig, moodleConfigSchema } from "./moodle/config.ts";
import { createMoodleConnector } from "./moodle/connector.ts";
import { type NetschoolConfig, netschoolConfigSchema } from "./netschool/config.ts";
import { createNetschoolConnector } from "./netschool/connector.ts";
import type { Connector } from "./types.ts";

/** What a factory gets besides its config: overrides for tests and the environment. */
export interface ConnectorDeps {
  /** Overrides env REGLAMENT_SECRET when decrypting credentials. */
  secret?: string;
  clock?: Clock;
  random?: () => number;
  /** Tuning of the shared HTTP client, e.g. tiny retry delays in tests. */
  http?: {
    timeoutMs?: number;
    retry?: Partial<RetryOptions>;
    breaker?: Partial<BreakerOptions>;
    rateLimit?: Partial<RateLimitOptions>;
  };
}

export interface ConnectorFactory<Config> {
  configSchema: z.ZodType<Config>;
  create(config: Config, deps: ConnectorDeps): Connector;
}

/** A source as configured: its kind plus the kind's own keys (validated by the kind's schema). */
export const sourceConfigSchema = z.looseObject({ kind: z.string().min(1) });
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

export class ConnectorConfigError extends Error {
  readonly userMessage: string;
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ConnectorConfigError";
    this.userMessage = connectorMessages.badConfig;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds factories of different config types.
const factories = new Map<string, ConnectorFactory<any>>();

export function registerConnector<Config>(kind: string, factory: ConnectorFactory<Config>): void {
  if (factories.has(kind)) throw new Error(`connector kind "${kind}" is already registered`);
  factories.set(kind, factory);
}

export function connectorKinds(): string[] {
  return [...factories.keys()].sort();
}

export function createConnector(sourceConfig: unknown, deps: ConnectorDeps = {}): Connector {
  const head = sourceConfigSchema.safeParse(sourceConfig);
  if (!head.success) throw new ConnectorConfigError("source config: `kind` is required (a string)");
  const factory = factories.get(head.data.kind);
  if (!factory) {
    throw new ConnectorConfigError(
      `source config: unknown kind "${head.data.kind}" (known: ${connectorKinds().join(", ")})`,
    );
  }
  const { kind, ...rest } = head.data;
  const parsed = factory.configSchema.safeParse(rest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    }));
    const text = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    throw new ConnectorConfigError(`source config for "${kind}": ${text}`, issues);
  }
  return factory.create(parsed.data, deps);
}

// ---- Registered kinds (one line each). Other connectors add their line below. ----
registerConnector<DnevnikConfig>("dnevnik", {
  configSchema: dnevnikConfigSchema,
  create: createDnevnikConnector,
});
registerConnector<MoodleConfig>("moodle", {
  configSchema: moodleConfigSchema,
  create: createMoodleConnector,
});
registerConnector<NetschoolConfig>("netschool", {
  configSchema: netschoolConfigSchema,
  create: createNetschoolConnector,
});
registerConnector<BarsConfig>("bars", {
  configSchema: barsConfigSchema,
  create: createBarsConnector,
});
