/**
 * The switch's control socket protocol: a Unix domain socket `<data>/control.sock` (mode
 * 0600), one JSON object per line (LF) each way.
 *
 *   -> {"id":1,"method":"calls.list"}
 *   <- {"id":1,"result":[...]}
 *   -> {"id":2,"method":"calls.hangup","params":{"call":"3f2c..."}}
 *   <- {"id":2,"error":"no live call 3f2c..."}
 *
 * `id` is the client's (number or string), echoed back so requests may be pipelined; a line
 * that cannot be read as a request gets `{"id":null,"error":"..."}`. Errors are one line of
 * text for the operator. Services register their methods on the ControlServer.
 */
import { join } from 'node:path';

/** A service's handlers, by method name (`calls.list`, later `room.*`). */
export interface ControlMethods {
  [method: string]: (params: Record<string, unknown>) => Promise<unknown> | unknown;
}

export type RequestId = number | string;

export interface ControlRequest {
  id: RequestId;
  method: string;
  params: Record<string, unknown>;
}

export type ControlResponse = { id: RequestId | null; result: unknown } | { id: RequestId | null; error: string };

export const CONTROL_SOCKET_FILE = 'control.sock';

/** Longest request line the server reads (bytes, LF excluded); a longer one ends the connection. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Longest response line the client reads (bytes); `calls.list` of thousands of calls fits. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** `<data>/control.sock`. */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, CONTROL_SOCKET_FILE);
}
