#!/usr/bin/env node
/**
 * Entry point of the `runware-rx` bin.
 *
 * @module
 */
import { processIo } from './cliIo.js';
import { runCli } from './runCli.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
