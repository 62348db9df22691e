#!/usr/bin/env node
import { runMnist1dCli } from "./mnist1d-cli.js";

// The bin entry only wires process state to the testable runner (no top-level await: the CJS build needs none).
void runMnist1dCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
