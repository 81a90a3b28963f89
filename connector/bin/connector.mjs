#!/usr/bin/env node
// Stop signals first: a SIGTERM/SIGINT while `connector start` is still starting must close
// what is open (or exit 0 when nothing is), not kill the process half-open.
import { installStopSignals } from '../src/cli/stop-signals.mjs';

if (process.argv[2] === 'start') {
  installStopSignals();
  // `ps` shows `connector start …`; it also tells the signal test that the handlers are in place.
  process.title = ['connector', ...process.argv.slice(2)].join(' ').slice(0, 200);
}

// Runs the built bundle when present (what ships), else the TypeScript sources through tsx.
const { existsSync } = await import('node:fs');
const { fileURLToPath, pathToFileURL } = await import('node:url');
const bundle = fileURLToPath(new URL('../dist/connector.mjs', import.meta.url));
if (existsSync(bundle) && !process.env.CARDLINK_FROM_SOURCE) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
