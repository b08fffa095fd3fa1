#!/usr/bin/env node
// Entry point installed as `softswitch`; the compiled CLI lives in dist/.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
