#!/usr/bin/env node
/**
 * Entry point of the stdio server and its CLI. Reads the process environment and
 * arguments once, then hands plain values to the libraries.
 */
import 'reflect-metadata';
import { run } from './cli.js';

// stdout carries the protocol alone: a dependency that prints through the console (the
// Ollama SDK does on a malformed stream) writes to stderr instead.
/* eslint-disable no-console -- the one place the console is redirected, never used */
console.log = console.error;
console.info = console.error;
console.debug = console.error;
/* eslint-enable no-console */

run(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tfo-mcp: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
