// A Dnevnik connector aimed at a nock host, with a fake clock so retries cost no time.

import { dnevnikConfigSchema } from "../../../src/connectors/dnevnik/config.ts";
import { DnevnikConnector } from "../../../src/connectors/dnevnik/connector.ts";
import { SCHOOL_ID } from "../../fixtures/dnevnik/builders.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

export const HOST = "https://api.dnevnik.test";
export const TOKEN = "abcdefabcdefabcdefabcdefabcdef12";

export function testConnector(over: Record<string, unknown> = {}, clock = new FakeClock()) {
  const config = dnevnikConfigSchema.parse({
    baseUrl: `${HOST}/v2/`,
    token: TOKEN,
    schoolId: SCHOOL_ID.toString(),
    chunkDays: 7,
    retries: 3,
    ...over,
  });
  const connector = new DnevnikConnector(config, {
    clock,
    random: () => 1,
    http: {
      retry: { baseDelayMs: 10, maxDelayMs: 100 },
      breaker: { failureThreshold: 4, cooldownMs: 5000 },
      rateLimit: { requestsPerSecond: 1000, burst: 1000 },
    },
  });
  return { connector, clock };
}

export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}
