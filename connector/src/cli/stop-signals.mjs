// Plain JavaScript on purpose: bin/connector.mjs installs these handlers for `connector start`
// before it loads the TypeScript loader or the bundle, so a SIGTERM/SIGINT that arrives while
// the process is still starting is handled instead of killing it. The state lives on a global
// symbol: the bundle carries its own copy of this module, and both must share one state.
// Types: stop-signals.d.mts.

const KEY = Symbol.for('cardlink.connector.stopSignals');
const SIGNALS = ['SIGTERM', 'SIGINT'];

function state() {
  let s = globalThis[KEY];
  if (!s) {
    s = { installed: false, claim: undefined, stopping: false, onSignal: undefined };
    globalThis[KEY] = s;
  }
  return s;
}

function onSignal() {
  const s = state();
  // Closing already: a second signal must not close twice or cut the first close short.
  if (s.stopping) return;
  // Nothing is open yet, so there is nothing to close.
  if (!s.claim) process.exit(0);
  s.stopping = true;
  Promise.resolve()
    .then(s.claim)
    .then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`connector: error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
}

/** Idempotent. Call before anything else is loaded. */
export function installStopSignals() {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  s.onSignal = onSignal;
  for (const sig of SIGNALS) process.on(sig, onSignal);
}

/**
 * The command takes over the stop signals: on the first one, `close` runs once and the process
 * exits 0 (1 if `close` throws). Claim before opening anything; until then a signal exits 0.
 */
export function claimStopSignals(close) {
  installStopSignals();
  state().claim = close;
}

/** Hand the signals to code that installs its own handlers (the update supervisor). */
export function releaseStopSignals() {
  const s = state();
  if (!s.installed) return;
  for (const sig of SIGNALS) process.off(sig, s.onSignal);
  s.installed = false;
  s.claim = undefined;
}

/** True once a stop signal was received and the claimed close is running. */
export function isStopping() {
  return state().stopping;
}
