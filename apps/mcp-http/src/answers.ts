/**
 * The server's own HTTP answers (everything the MCP SDK does not answer): JSON bodies that
 * name what was wrong and what is allowed, as web-standard `Response`s so every route is
 * written back to Node through one path.
 */

/** A JSON answer `{ error, message, ...details }` with `status` and optional extra headers. */
export function problem(
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error, message, ...details }, { status, headers });
}

/** A JSON answer with `status`. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

/** A JSON-RPC error answer (for failures inside the MCP endpoint that concern the message itself). */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  id: string | number | null = null,
): Response {
  return Response.json({ jsonrpc: '2.0', id, error: { code, message } }, { status });
}
