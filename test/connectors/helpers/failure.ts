// The typed connector error a promise must reject with (a test that expects a failure).
import type { ConnectorError } from "../../../src/connectors/errors.ts";

export async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a failure");
}
