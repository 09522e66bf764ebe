// Waits on the NetSchool queue hub for a report task: opens the WebSocket (the `at` token in the URL
// and header, the session cookie), does the SignalR JSON handshake, starts the task —
// `startTaskAsync(taskId, queueKey)` when the queue gave a key (current servers, vkrya/netschoolpy),
// else `startTask(taskId, "report-v2")` (lentryd/NetSchoolApi) — and resolves with the file id of the
// `complete` event. Any other end is a typed error: the caller marks the report part unavailable.
import WebSocket from "ws";
import { PlatformDownError } from "../errors.ts";
import {
  decodeFrame,
  encodeMessages,
  HANDSHAKE_REQUEST,
  type HubMessage,
  invocation,
} from "./signalr-protocol.ts";

export interface HubWait {
  /** ws:// or wss:// URL of the hub, with `?at=`. */
  url: string;
  headers: Record<string, string>;
  taskId: string;
  queueKey?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Opening the socket and the SignalR handshake have their own bound: `timeoutMs` is how long the report
 * may take once its task is started, and a busy server or machine can take longer than that to connect.
 */
const HUB_CONNECT_TIMEOUT_MS = 15_000;

const hubError = (detail: string, platformType: string) =>
  new PlatformDownError({ detail: `report queue hub: ${detail}`, platformType });

/** The file id the hub names when the task completes. */
export function awaitReportFile(wait: HubWait): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(wait.url, { headers: wait.headers, handshakeTimeout: HUB_CONNECT_TIMEOUT_MS });
    let handshaken = false;
    let settled = false;
    const finish = (error: Error | null, fileId?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      wait.signal?.removeEventListener("abort", onAbort);
      ws.removeAllListeners("message");
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      if (error) reject(error);
      else resolve(fileId!);
    };
    let timer = setTimeout(
      () => finish(hubError(`no handshake in ${HUB_CONNECT_TIMEOUT_MS} ms`, "report-hub-error")),
      HUB_CONNECT_TIMEOUT_MS,
    );
    const onAbort = () => finish(wait.signal?.reason ?? new Error("aborted"));
    wait.signal?.addEventListener("abort", onAbort, { once: true });

    ws.on("unexpected-response", (_req, res) =>
      finish(hubError(`the hub refused the connection: HTTP ${res.statusCode}`, "report-hub-refused")),
    );
    ws.on("error", (e) => finish(hubError(`WebSocket error: ${e.message}`, "report-hub-error")));
    ws.on("close", (code) =>
      finish(hubError(`closed (${code}) before the report was ready`, "report-hub-closed")),
    );
    ws.on("open", () => ws.send(encodeMessages(HANDSHAKE_REQUEST)));
    ws.on("message", (data) => {
      let messages: unknown[];
      try {
        messages = decodeFrame(data.toString());
      } catch {
        return finish(hubError("a frame that is not JSON", "report-hub-error"));
      }
      for (const raw of messages) {
        const m = raw as HubMessage & { error?: string };
        if (!handshaken) {
          if (m.error) return finish(hubError(`handshake refused: ${m.error}`, "report-hub-refused"));
          handshaken = true;
          clearTimeout(timer);
          timer = setTimeout(
            () =>
              finish(
                hubError(`no "complete" for task ${wait.taskId} in ${wait.timeoutMs} ms`, "report-timeout"),
              ),
            wait.timeoutMs,
          );
          const start = wait.queueKey
            ? invocation("startTaskAsync", [Number(wait.taskId), wait.queueKey])
            : invocation("startTask", [Number(wait.taskId), "report-v2"]);
          ws.send(encodeMessages(start));
          continue;
        }
        if (m.type === 7)
          return finish(hubError(`closed by the server: ${m.error ?? "no reason"}`, "report-hub-closed"));
        if (m.type === 3 && m.error)
          return finish(hubError(`task refused: ${m.error}`, "report-task-failed"));
        if (m.type !== 1) continue;
        const inv = m as { target: string; arguments: unknown[] };
        const arg = (inv.arguments?.[0] ?? {}) as { taskId?: unknown; data?: unknown; error?: unknown };
        if (String(arg.taskId) !== String(wait.taskId)) continue;
        const target = inv.target.toLowerCase();
        if (target === "complete" && (typeof arg.data === "string" || typeof arg.data === "number"))
          return finish(null, String(arg.data));
        if (target === "error" || target === "fail")
          return finish(
            hubError(`task failed: ${String(arg.error ?? arg.data ?? "")}`, "report-task-failed"),
          );
      }
    });
  });
}
