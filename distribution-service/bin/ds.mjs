#!/usr/bin/env node
// Stop signals first: a SIGTERM/SIGINT during start-up must close what is open, not kill the process.
import { installStopSignals } from '../src/cli/stop-signals.js';

installStopSignals();
// `ps` shows `ds serve …` instead of `node …/ds.mjs serve …`; it also tells a supervisor (and the
// signal test) that the handlers above are in place.
process.title = ['ds', ...process.argv.slice(2)].join(' ');

// Runs the TypeScript sources directly through tsx: no build step for an admin tool.
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
