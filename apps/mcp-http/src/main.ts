#!/usr/bin/env node
/**
 * Entry point of the HTTP server and its CLI. Reads the process environment and arguments
 * once, then hands plain values to the libraries.
 */
import 'reflect-metadata';
import { run } from './cli.js';

run(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tfo-mcp-http: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
