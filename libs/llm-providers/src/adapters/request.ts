/**
 * Checks shared by the adapters before anything is sent: the request's shape and
 * the constructor's required texts. Failures are ValidationErrors naming the field,
 * never echoing a secret.
 */
import { ValidationError, type LlmRequest } from '@tfo/domain';

function invalid(field: string, rule: string): ValidationError {
  return new ValidationError(`${field} ${rule}.`, { details: { field } });
}

/** Throws unless `value` is a non-empty string; `what` says what it should hold. */
export function requireText(field: string, value: unknown, what: string): void {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(field, `must be ${what}`);
}

/** Throws a ValidationError for a request no provider could serve. */
export function checkRequest(request: LlmRequest): void {
  requireText('model', request?.model, 'a model id');
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw invalid('messages', 'must hold at least one message');
  }
  request.messages.forEach((message, index) => {
    if (message?.role !== 'user' && message?.role !== 'assistant') {
      throw invalid(`messages[${index}].role`, 'must be "user" or "assistant"');
    }
    if (typeof message.content !== 'string') throw invalid(`messages[${index}].content`, 'must be a string');
  });
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
    throw invalid('maxTokens', 'must be a positive integer');
  }
  if (
    request.temperature !== undefined &&
    !(Number.isFinite(request.temperature) && request.temperature >= 0)
  ) {
    throw invalid('temperature', 'must be a finite number of at least 0');
  }
  if (request.stopSequences !== undefined && !request.stopSequences.every((s) => typeof s === 'string')) {
    throw invalid('stopSequences', 'must be strings');
  }
}
