/** Reading one request line and writing one response line (control-protocol.ts), no I/O. */
import type { ControlRequest, ControlResponse, RequestId } from './control-protocol.js';

export type ParsedLine = { request: ControlRequest } | { invalid: ControlResponse };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is RequestId {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 128);
}

/** A request, or the error response a malformed line gets (id echoed when it was readable). */
export function parseRequestLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { invalid: { id: null, error: 'invalid request: not JSON' } };
  }
  if (!isPlainObject(value)) return { invalid: { id: null, error: 'invalid request: expected a JSON object' } };
  const { id, method, params } = value;
  if (!isRequestId(id)) return { invalid: { id: null, error: 'invalid request: "id" must be a number or a string' } };
  if (typeof method !== 'string' || method === '') return { invalid: { id, error: 'invalid request: "method" must be a non-empty string' } };
  if (params !== undefined && !isPlainObject(params)) return { invalid: { id, error: 'invalid request: "params" must be an object' } };
  return { request: { id, method, params: params ?? {} } };
}

/** Operator-facing text of a failure: its first line, never empty. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim() || 'unknown error';
}

/** One response line (LF-terminated). A result JSON cannot carry becomes an error response. */
export function responseLine(response: ControlResponse): string {
  try {
    const withResult = 'result' in response ? { id: response.id, result: response.result ?? null } : response;
    return JSON.stringify(withResult) + '\n';
  } catch (err) {
    return JSON.stringify({ id: response.id, error: `the result could not be encoded as JSON: ${errorText(err)}` }) + '\n';
  }
}
