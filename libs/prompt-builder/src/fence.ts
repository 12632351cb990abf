/**
 * Fencing of untrusted telemetry text. Log bodies, labels, service and host names
 * come from the monitored systems, so anyone who can write a log line can try to
 * write instructions to the model. Everything derived from telemetry therefore
 * goes into one clearly delimited data block, and product text outside the block
 * says that the block is data, never instructions.
 *
 * Invariants:
 * - The block holds JSON text in which every `<` and `>` is written as the JSON
 *   escape `\u003c` / `\u003e`. JSON has no `<` or `>` outside strings, so the
 *   escaped text contains neither character anywhere; both markers contain `<<<`
 *   or `>>>`, so data can never open or close a fence. The escape is lossless:
 *   `JSON.parse` of the fenced text returns exactly the original values.
 * - No randomness: the same input always gives the same prompt (stable caching,
 *   reproducible tests), and the delimiter stays unforgeable because of the escape.
 * - Untrusted strings that must appear in product text (a type name, a group label
 *   in an omission note) are quoted as JSON strings, escaped the same way and cut
 *   to a short length, so they read as quoted values.
 */

/** Opens the telemetry data block; always on a line of its own. */
export const FENCE_OPEN = '<<<TELEMETRY_DATA';

/** Closes the telemetry data block; always on a line of its own. */
export const FENCE_CLOSE = 'TELEMETRY_DATA>>>';

/**
 * Escapes JSON text for the data block: `<` becomes `\u003c` and `>` becomes
 * `\u003e`. Only valid for JSON text, where both characters can occur inside
 * strings alone; the result parses to the same value.
 */
export function escapeJsonForFence(json: string): string {
  return json.replace(/[<>]/g, (ch) => (ch === '<' ? '\\u003c' : '\\u003e'));
}

/** Wraps JSON text in the data block, escaping it first so it cannot close the block. */
export function fenceJson(json: string): string {
  return `${FENCE_OPEN}\n${escapeJsonForFence(json)}\n${FENCE_CLOSE}`;
}

/**
 * The text between the markers of the first data block in `prompt`, or undefined
 * when there is none. Useful to consumers and tests that check what the model sees.
 */
export function extractFencedJson(prompt: string): string | undefined {
  const start = prompt.indexOf(`${FENCE_OPEN}\n`);
  if (start < 0) return undefined;
  const from = start + FENCE_OPEN.length + 1;
  const end = prompt.indexOf(`\n${FENCE_CLOSE}`, from);
  return end < 0 ? undefined : prompt.slice(from, end);
}

/**
 * Quotes an untrusted string for product text: cut to `maxLength` characters (an
 * ellipsis marks the cut), written as a JSON string with `<` and `>` escaped, so
 * line breaks, quotes and fence markers all stay inside the quotes.
 */
export function quoteUntrusted(text: string, maxLength = 60): string {
  const cut = text.length > maxLength ? `${safeSlice(text, maxLength)}…` : text;
  return escapeJsonForFence(JSON.stringify(cut));
}

/** The first `length` UTF-16 units of `text`, one less when that would split a surrogate pair. */
export function safeSlice(text: string, length: number): string {
  if (length <= 0) return '';
  if (length >= text.length) return text;
  const code = text.charCodeAt(length - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
  return text.slice(0, end);
}
