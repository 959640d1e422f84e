#!/usr/bin/env node
// The `refundkey` command: runs the compiled CLI (npm run build, or npm start, compiles it).
import { main } from '../dist/cli/index.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
