export * from './errors.js';
export * from './mcp-error-codes.js';
