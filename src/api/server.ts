// Starts the console's HTTP server on a port (0 = any free one) and says where it listens.
import type { AddressInfo } from "node:net";
import { type ApiAppOptions, createApiApp } from "./app.ts";
import type { ApiDeps } from "./types.ts";

export interface ApiServer {
  /** e.g. http://127.0.0.1:8080/ (the real port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export function startApiServer(
  deps: ApiDeps,
  listen: { port: number; host: string },
  opts: ApiAppOptions = {},
): Promise<ApiServer> {
  const app = createApiApp(deps, {
    defaultMetrics: true,
    trustProxy: deps.config.api.trustProxy,
    ...opts,
    session: { secureCookies: deps.config.api.secureCookies, ...opts.session },
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(listen.port, listen.host);
    server.once("error", reject);
    server.once("listening", () => {
      const { port } = server.address() as AddressInfo;
      const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
