// The part of the ASP.NET Core SignalR JSON hub protocol the NetSchool report queue needs
// (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md): every
// message is JSON followed by the record separator 0x1E; the client opens with a handshake
// `{"protocol":"json","version":1}`, the server answers `{}` (or `{"error":…}`); then invocations
// (type 1), completions (type 3), pings (type 6) and close (type 7).

export const RECORD_SEPARATOR = "\u001e";

export const HANDSHAKE_REQUEST = { protocol: "json", version: 1 } as const;

export type HubMessage =
  | { type: 1; target: string; arguments: unknown[]; invocationId?: string }
  | { type: 3; invocationId: string; result?: unknown; error?: string }
  | { type: 6 }
  | { type: 7; error?: string; allowReconnect?: boolean }
  | { type: number; [k: string]: unknown };

/** One frame holding one or more messages. */
export function encodeMessages(...messages: object[]): string {
  return messages.map((m) => JSON.stringify(m) + RECORD_SEPARATOR).join("");
}

/** The JSON messages of a frame (a frame may carry several; a trailing separator ends each). */
export function decodeFrame(frame: string): unknown[] {
  return frame
    .split(RECORD_SEPARATOR)
    .filter((part) => part.trim() !== "")
    .map((part) => JSON.parse(part) as unknown);
}

export function invocation(target: string, args: unknown[], invocationId = "0"): HubMessage {
  return { type: 1, target, arguments: args, invocationId };
}
