// Every failure the demo can meet, told in plain words with what to do about it.
import { isConnectorError, type ConnectorError } from '@cardlink/web-sdk';
import { h, type Child } from './lib/dom.js';

export interface Friendly {
  /** A stable name for the state (data-state on the notice). */
  state: string;
  title: string;
  text: Child;
  hints?: Child[];
  code?: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
export const triesLeft = (n: number): string => `${plural(n, 'try', 'tries')} left`;
const code = (s: string) => h('code', null, s);

/** A size for people: 1.5 MB, 12 KB, 900 bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return plural(n, 'byte', 'bytes');
  const [v, u] = n < 1024 ** 2 ? [n / 1024, 'KB'] : n < 1024 ** 3 ? [n / 1024 ** 2, 'MB'] : [n / 1024 ** 3, 'GB'];
  return `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${u}`;
}

export function friendly(e: unknown, connectorUrl: string): Friendly {
  if (!isConnectorError(e)) {
    return { state: 'error', title: 'Something went wrong', text: e instanceof Error ? e.message : String(e) };
  }
  const err: ConnectorError = e;
  const base = { code: err.code };
  switch (err.code) {
    case 'CONNECTOR_UNREACHABLE':
      return {
        ...base,
        state: 'unreachable',
        title: 'Cannot reach the Cardlink connector',
        text: ['This page got no answer from the connector at ', code(connectorUrl), '. The usual reasons:'],
        hints: [
          [h('strong', null, 'It is not installed or not running. '), 'Install it, or start it (in this repository: ', code('bash scripts/start.sh'), ').'],
          [
            h('strong', null, 'Its certificate is not trusted by this browser. '),
            'Run ',
            code('connector trust'),
            ' once, then restart the browser. To check, open ',
            h('a', { href: `${connectorUrl}/`, target: '_blank', rel: 'noopener' }, connectorUrl),
            ': a certificate warning means it is not trusted yet.',
          ],
          [h('strong', null, 'The browser blocked the request to this device. '), 'Allow this site to access apps on your device (site settings, "Local network access").'],
        ],
      };
    case 'ORIGIN_NOT_ALLOWED':
      return {
        ...base,
        state: 'origin-not-allowed',
        title: 'This site is not allowed to use the connector',
        text: ['The connector is running, but this site (', code(location.origin), ') is not registered for it.'],
        hints: [
          'Register the origin for your application in the Distribution Service (Applications → origins); connectors pick it up at their next sync.',
          ["During development, put it in the connector's origins file: ", code(`[{ "origin": "${location.origin}", "label": "demo" }]`), ' and start it with ', code('--origins FILE'), '.'],
        ],
      };
    case 'PCSC_UNAVAILABLE':
      return {
        ...base,
        state: 'no-reader',
        title: 'No card reader service',
        text: 'The connector cannot reach the smart-card service of this computer.',
        hints: ['Plug in a card reader.', ['On Linux, make sure ', code('pcscd'), ' is installed and running.']],
      };
    case 'READER_NOT_FOUND':
      return { ...base, state: 'no-reader', title: 'The card reader is gone', text: 'The reader was unplugged. Plug it in again.' };
    case 'NO_CARD':
      return { ...base, state: 'no-card', title: 'No card in the reader', text: 'Insert your eID card into the reader.' };
    case 'CARD_REMOVED':
      return { ...base, state: 'card-removed', title: 'The card was removed', text: 'The card was taken out during the operation. Insert it again and retry.' };
    case 'CARD_NOT_SUPPORTED':
      return { ...base, state: 'not-beid', title: 'This card is not supported', text: 'This is not a Belgian eID card, or not one this operation supports.' };
    case 'CARD_ERROR':
      return { ...base, state: 'card-error', title: 'The card answered unexpectedly', text: ['Take the card out, insert it again and retry. ', err.message] };
    case 'PIN_INCORRECT':
      return {
        ...base,
        state: 'pin-incorrect',
        title: err.retriesLeft !== undefined ? `Wrong PIN: ${triesLeft(err.retriesLeft)}` : 'Wrong PIN',
        text: err.retriesLeft === 1 ? 'Careful: one more wrong PIN blocks the card.' : 'Check your PIN and try again.',
      };
    case 'PIN_BLOCKED':
      return {
        ...base,
        state: 'pin-blocked',
        title: 'The PIN is blocked',
        text: 'Too many wrong PINs were entered. Unblock the card with its PUK code at your municipality.',
      };
    case 'PIN_LAST_TRY_REFUSED':
      return {
        ...base,
        state: 'pin-last-try',
        title: 'Only one PIN try left',
        text: 'To protect your card the connector did not use the last try. If you are sure of your PIN, tick "Allow the last PIN try" and retry.',
      };
    case 'PIN_REQUIRED':
      return { ...base, state: 'pin-required', title: 'Enter your PIN', text: 'This operation needs the PIN of the card.' };
    case 'USER_CANCELLED':
      return { ...base, state: 'user-cancelled', title: 'Cancelled', text: 'You cancelled on the connector’s page. Nothing was done with your card.' };
    case 'POPUP_BLOCKED':
      return { ...base, state: 'popup-blocked', title: 'The connector’s page was blocked', text: 'Your browser blocked the window where you type your PIN. Allow pop-ups for this site, then click again.' };
    case 'PIN_ENTRY_ON_CONNECTOR_PAGE':
      return { ...base, state: 'pin-on-connector-page', title: 'Type your PIN on the connector’s page', text: 'This application may not take your PIN itself; the connector asks for it in its own window.' };
    case 'CONSENT_REQUIRED':
      return { ...base, state: 'consent-required', title: 'Your permission is needed', text: 'Allow this site to read your eID card on the connector’s page first.' };
    case 'CONSENT_REFUSED':
      return { ...base, state: 'consent-refused', title: 'Not allowed', text: 'You did not allow this site to read your eID card.' };
    case 'ALGORITHM_NOT_SUPPORTED':
      return { ...base, state: 'algorithm', title: 'Algorithm not supported', text: 'This card cannot use this algorithm; choose another one.' };
    case 'INVALID_INPUT':
      return { ...base, state: 'invalid-input', title: 'Please check your input', text: err.message };
    case 'RATE_LIMITED':
      return {
        ...base,
        state: 'rate-limited',
        title: 'Too many requests',
        text: `The connector asks this site to slow down. Wait ${err.retryAfterSeconds ?? 'a few'} seconds and retry.`,
      };
    case 'FILE_TYPE_NOT_FOUND':
      return {
        ...base,
        state: 'file-type-not-found',
        title: 'This folder is not shared with this site',
        text: 'No file type of this name is mapped for this site’s application on this computer (any more).',
        hints: [['Map one on this computer: ', code('connector files map <type> <folder> --labels <label>'), ', then reload this page.']],
      };
    case 'FILE_EXISTS':
      return {
        ...base,
        state: 'file-exists',
        title: 'A file with this name is already there',
        text: 'Nothing was changed. Tick "Replace a file with the same name" to overwrite it, or store it under another name or in another sub-folder.',
      };
    case 'FILE_TOO_LARGE': {
      const max = typeof err.details?.maxSize === 'number' ? err.details.maxSize : undefined;
      return {
        ...base,
        state: 'file-too-large',
        title: 'This file is too large',
        text: max !== undefined ? `This folder accepts files up to ${formatBytes(max)}. Choose a smaller file.` : 'The connector does not accept files this large here. Choose a smaller file.',
      };
    }
    case 'PATH_NOT_ALLOWED':
      return {
        ...base,
        state: 'path-not-allowed',
        title: 'This name or sub-folder is not allowed',
        text: ['Files stay inside the shared folder: no ', code('..'), ', no absolute paths, no ', code('\\'), ', no control characters, no over-long names. ', err.message],
      };
    case 'FILE_NOT_FOUND':
      return { ...base, state: 'file-not-found', title: 'The file is not there', text: 'It was moved, renamed or deleted in the meantime. Refresh the list and try again.' };
    case 'PRINTER_NOT_FOUND':
      return { ...base, state: 'printer-not-found', title: 'The printer is gone', text: 'The print system of this computer no longer knows this printer. Refresh the list of printers.' };
    case 'PRINT_FAILED':
      return { ...base, state: 'print-failed', title: 'The print system refused the document', text: 'Check that the printer is enabled and accepts jobs (CUPS: lpstat -p), and that the document can be printed.' };
    case 'PKCS11_LIBRARY_ERROR':
      return { ...base, state: 'library-error', title: 'The token’s library does not work', text: ['The PKCS#11 library failed or cannot be loaded. ', err.message], hints: [['Check it with ', code('connector pkcs11 list'), '; replace it with ', code('connector pkcs11 add <name> <path>'), '.']] };
    case 'PKCS11_TIMEOUT':
      return { ...base, state: 'library-timeout', title: 'The token’s library did not answer', text: 'The connector stopped waiting and restarted it. Check the token, then retry.' };
    case 'TOKEN_NOT_FOUND':
    case 'TOKEN_NOT_PRESENT':
      return { ...base, state: 'token-gone', title: 'The token is not there', text: 'It was removed, or its library changed its slots. Insert it again and press "Refresh".' };
    case 'KEY_NOT_FOUND':
      return { ...base, state: 'key-not-found', title: 'The token has no key for this certificate', text: 'Choose another certificate.' };
    case 'NETWORK':
      return { ...base, state: 'network', title: 'The connection to the connector broke', text: 'Retry in a moment; if it keeps happening, restart the connector.' };
    default:
      return { ...base, state: 'error', title: 'The connector could not do this', text: err.message };
  }
}

/** A notice for an error: title, explanation, what to do, the code for support. */
export function errorNotice(e: unknown, connectorUrl: string, extra: Child = null): HTMLElement {
  const f = friendly(e, connectorUrl);
  return notice('error', f, extra);
}

export function notice(tone: 'error' | 'warning' | 'info' | 'ok', f: Omit<Friendly, 'code'> & { code?: string }, extra: Child = null): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${tone}`, role: tone === 'error' ? 'alert' : 'status', 'data-state': f.state },
    h('p', { class: 'notice-title' }, f.title),
    h('p', null, f.text),
    f.hints?.length ? h('ul', null, f.hints.map((x) => h('li', null, x))) : null,
    extra,
    f.code ? h('p', { class: 'notice-code' }, 'Error code: ', h('code', null, f.code)) : null,
  );
}
