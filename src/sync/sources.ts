// Configured sources: validated by their connector kind, secrets encrypted at rest, never printed.
import { type ConnectorDeps, createConnector } from "../connectors/registry.ts";
import { encryptSecret, isEncryptedSecret } from "../connectors/secrets.ts";
import type { Connector } from "../connectors/types.ts";
import type { Db } from "../store/db.ts";

/** Config keys whose values are credentials: encrypted before they reach the store, masked when shown. */
export const SECRET_KEYS = new Set([
  "token",
  "password",
  "secret",
  "clientSecret",
  "wstoken",
  "apiKey",
  "sessionid",
]);

export interface SourceRow {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  schoolId: string | null;
  /** Left out of the scheduled sync fan-out (migration 014). */
  paused: boolean;
}

export class SourceError extends Error {}

/** Encrypts every secret key, also inside nested objects (BARS keeps its password or cookie under `auth`). */
function encryptSecrets(config: Record<string, unknown>, secret?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    out[k] =
      SECRET_KEYS.has(k) && typeof v === "string" && !isEncryptedSecret(v)
        ? encryptSecret(v, secret)
        : isObject(v)
          ? encryptSecrets(v, secret)
          : v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function maskSecrets(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      SECRET_KEYS.has(k) ? "***" : isObject(v) ? maskSecrets(v) : v,
    ]),
  );
}

/** Validates the config through its connector kind (so a typo fails now, not at 3 a.m.), then stores it. */
export async function addSource(
  db: Db,
  source: { id: string; kind: string; config: Record<string, unknown> },
  deps: ConnectorDeps = {},
): Promise<void> {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(source.id)) {
    throw new SourceError(`source id "${source.id}": use letters, digits, "-" and "_" (up to 63)`);
  }
  const stored = encryptSecrets(source.config, deps.secret);
  createConnector({ kind: source.kind, ...stored }, deps);
  const rows = await db.query(
    "INSERT INTO sources (id, kind, config) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id",
    [source.id, source.kind, JSON.stringify(stored)],
  );
  if (rows.length === 0) throw new SourceError(`source "${source.id}" exists already (remove it first)`);
}

export async function listSources(db: Db, opts: { activeOnly?: boolean } = {}): Promise<SourceRow[]> {
  const rows = await db.query<{
    id: string;
    kind: string;
    config: Record<string, unknown>;
    school_id: string | null;
    paused: boolean;
  }>(
    `SELECT id, kind, config, school_id, paused FROM sources${opts.activeOnly ? " WHERE NOT paused" : ""} ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    config: r.config,
    schoolId: r.school_id,
    paused: r.paused,
  }));
}

/** Replaces a source's config (validated through its connector kind, secrets encrypted) and/or pauses it. */
export async function updateSource(
  db: Db,
  id: string,
  change: { config?: Record<string, unknown>; paused?: boolean },
  deps: ConnectorDeps = {},
): Promise<void> {
  const current = await getSource(db, id);
  if (change.config) {
    const stored = encryptSecrets(change.config, deps.secret);
    createConnector({ kind: current.kind, ...stored }, deps);
    await db.query("UPDATE sources SET config = $2::jsonb, updated_at = now() WHERE id = $1", [
      id,
      JSON.stringify(stored),
    ]);
  }
  if (change.paused !== undefined)
    await db.query("UPDATE sources SET paused = $2, updated_at = now() WHERE id = $1", [id, change.paused]);
}

export async function getSource(db: Db, id: string): Promise<SourceRow> {
  const found = (await listSources(db)).find((s) => s.id === id);
  if (!found) throw new SourceError(`no source "${id}" (see \`reglament source list\`)`);
  return found;
}

export async function removeSource(db: Db, id: string): Promise<void> {
  const rows = await db.query("DELETE FROM sources WHERE id = $1 RETURNING id", [id]);
  if (rows.length === 0) throw new SourceError(`no source "${id}"`);
}

export async function rememberSchool(db: Db, sourceId: string, schoolId: string): Promise<void> {
  await db.query(
    "UPDATE sources SET school_id = $2, updated_at = now() WHERE id = $1 AND school_id IS DISTINCT FROM $2",
    [sourceId, schoolId],
  );
}

export function connectorFor(source: SourceRow, deps: ConnectorDeps = {}): Connector {
  return createConnector({ kind: source.kind, ...source.config }, deps);
}
