/**
 * A line filter in front of the stdio transport. The SDK's stdio transport drops
 * lines it cannot parse without answering; JSON-RPC asks for an answer. This filter
 * answers what never reaches the protocol layer and passes everything else through
 * unchanged:
 * - a line that is not JSON                    → -32700 Parse error (id null)
 * - JSON that is not a JSON-RPC 2.0 message     → -32600 Invalid Request
 * - a batch (array)                             → -32600 (MCP does not use batches)
 * - a line longer than the limit                → -32600, and the line is dropped
 * Replies are whole lines written in one call, so they never interleave with the
 * transport's own output.
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { McpErrorCode } from '@tfo/domain';

type Id = string | number | null;

function reply(out: Writable, id: Id, code: number, message: string): void {
  out.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
}

function idOf(value: unknown): Id {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** Describes why `value` is not a JSON-RPC 2.0 message, or returns undefined when it is one. */
export function jsonRpcProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'JSON-RPC batches are not supported; send one message per line';
  if (typeof value !== 'object' || value === null) return 'A JSON-RPC message must be a JSON object';
  const m = value as Record<string, unknown>;
  if (m['jsonrpc'] !== '2.0') return 'The "jsonrpc" member must be exactly "2.0"';
  if ('method' in m) {
    if (typeof m['method'] !== 'string' || m['method'] === '')
      return 'The "method" member must be a non-empty string';
    if ('id' in m && typeof m['id'] !== 'string' && typeof m['id'] !== 'number') {
      return 'The "id" member must be a string or a number';
    }
    if ('params' in m && (typeof m['params'] !== 'object' || m['params'] === null)) {
      return 'The "params" member must be an object or an array';
    }
    return undefined;
  }
  if ('result' in m || 'error' in m) return undefined;
  return 'A JSON-RPC message needs a "method" (request or notification) or a "result"/"error" (response)';
}

/** Creates the filter; `out` receives error replies (the transport's own output stream). */
export function createJsonRpcGuard(out: Writable, maxLineBytes: number): Transform {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let discarding = false;
  const tooLarge = () =>
    reply(
      out,
      null,
      McpErrorCode.InvalidRequest,
      `Invalid Request: a message is larger than ${maxLineBytes} bytes`,
    );
  const check = (line: string, push: (s: string) => void) => {
    if (line.trim() === '') return;
    if (Buffer.byteLength(line) > maxLineBytes) {
      tooLarge();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      reply(out, null, McpErrorCode.ParseError, `Parse error: ${(error as Error).message}`);
      return;
    }
    const problem = jsonRpcProblem(parsed);
    if (problem) {
      reply(out, idOf(parsed), McpErrorCode.InvalidRequest, `Invalid Request: ${problem}`);
      return;
    }
    push(`${line}\n`);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      // A StringDecoder keeps a multi-byte character that straddles two chunks intact.
      pending += decoder.write(chunk);
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (discarding) discarding = false;
        else check(line, (s) => this.push(s));
        newline = pending.indexOf('\n');
      }
      if (Buffer.byteLength(pending) > maxLineBytes) {
        if (!discarding) {
          reply(
            out,
            null,
            McpErrorCode.InvalidRequest,
            `Invalid Request: a message is larger than ${maxLineBytes} bytes`,
          );
        }
        discarding = true;
        pending = '';
      }
      callback();
    },
    flush(callback: TransformCallback) {
      pending += decoder.end();
      if (!discarding) check(pending, (s) => this.push(s));
      callback();
    },
  });
}
