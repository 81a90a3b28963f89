// Plain JavaScript on purpose: bin/ds.mjs installs these handlers before it loads the
// TypeScript loader and the program, so a SIGTERM/SIGINT that arrives while the process is
// still starting is handled instead of killing it. Types: stop-signals.d.ts.

const SIGNALS = /** @type {const} */ (['SIGTERM', 'SIGINT']);
const CONVENTIONAL = { SIGINT: 130, SIGTERM: 143 };

/** @type {{ close: () => Promise<void>, exitCode: (signal: string) => number } | undefined} */
let claim;
/** @type {Promise<void> | undefined} */
let stopping;
let installed = false;

function onSignal(signal) {
  // Closing already: a second signal must not close twice or cut the first close short.
  if (stopping) return;
  if (!claim) {
    // Nothing is open yet, so there is nothing to close.
    process.exit(0);
  }
  const { close, exitCode } = claim;
  stopping = Promise.resolve()
    .then(close)
    .then(
      () => process.exit(exitCode(signal)),
      (err) => {
        process.stderr.write(`error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
}

/** Idempotent. Call before anything else is loaded. */
export function installStopSignals() {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

/**
 * The running command takes over the stop signals: on the first one, `close` runs once and the
 * process exits with `exitCode(signal)` (1 if `close` throws). Before any claim, a signal exits 0.
 */
export function claimStopSignals(close, exitCode = () => 0) {
  claim = { close, exitCode };
}

/** For commands that are cut short by a signal: the shell convention 128 + signal number. */
export function interruptedExitCode(signal) {
  return CONVENTIONAL[signal] ?? 1;
}

/** True once a stop signal was received and a claimed close is running. */
export function isStopping() {
  return stopping !== undefined;
}
