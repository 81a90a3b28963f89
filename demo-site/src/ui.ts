// Pieces the pages share: the card gate, actions with progress and friendly errors, PIN and
// algorithm fields.
import type { Algorithm, BeidCard } from '@cardlink/web-sdk';
import type { App } from './app.js';
import { errorNotice, notice } from './errors.js';
import { h, replace, uid, type Child } from './lib/dom.js';
import { describeAlgorithm, verifiableAlgorithms } from './lib/verify.js';

export interface Page {
  id: string;
  /** Navigation label and heading. */
  title: string;
  intro: string;
  /** Whether the page needs a Belgian eID card in the selected reader. */
  needsCard: boolean;
  render(app: App, card: BeidCard | null): Node;
}

/** Why the card pages cannot work right now, or null when an eID card is ready. */
export function cardGate(app: App): HTMLElement | null {
  const { connection, readers, readersError } = app.state;
  if (connection.status === 'connecting') return notice('info', { state: 'connecting', title: 'Connecting to the connector…', text: 'One moment.' });
  if (connection.status === 'error') return notice('info', { state: 'not-connected', title: 'Not connected', text: 'See the message above.' });
  if (readersError) return errorNotice(readersError, app.url);
  if (readers.length === 0) {
    return notice('warning', {
      state: 'no-reader',
      title: 'No card reader found',
      text: connection.info.pcscAvailable ? 'Plug in a card reader; this page updates by itself.' : 'The smart-card service of this computer does not answer.',
      hints: connection.info.pcscAvailable ? [] : ['Plug in a card reader.', ['On Linux, make sure ', h('code', null, 'pcscd'), ' is installed and running.']],
    });
  }
  const reader = app.selectedReader;
  if (!reader?.card) {
    return notice('warning', {
      state: 'no-card',
      title: 'Insert your eID card',
      text: `No card in "${reader?.name ?? readers[0]!.name}". Insert your Belgian eID card; this page updates by itself.`,
    });
  }
  if (reader.card.module !== 'BEID') {
    return notice('warning', {
      state: 'not-beid',
      title: 'This is not a Belgian eID card',
      text: `The card in "${reader.name}" is ${reader.card.description ?? 'of an unknown type'}. Insert a Belgian eID card.`,
    });
  }
  return null;
}

/** What makes the card gate change: the page is redrawn only when this key changes. */
export function gateKey(app: App): string {
  const { connection, readers, readersError } = app.state;
  const r = app.selectedReader;
  return [connection.status, readers.length, readersError ? 'err' : '', r?.id ?? '', r?.card?.atr ?? '', r?.card?.module ?? ''].join('|');
}

/** A region where an action's progress, result or error shows. */
export const output = (testId: string): HTMLDivElement => h('div', { class: 'output', 'data-testid': testId, 'aria-live': 'polite' });

/**
 * Run an action from a button: disabled and busy meanwhile, result or friendly error in
 * `out`. Connection-level errors also switch the whole page to their state.
 */
export async function run(app: App, button: HTMLButtonElement, out: HTMLElement, action: () => Promise<Child>): Promise<void> {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  replace(out, h('p', { class: 'working' }, 'Working…'));
  try {
    replace(out, await action());
  } catch (e) {
    replace(out, errorNotice(e, app.url));
    app.report(e);
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

/**
 * Fill `out` from an action that runs when a page opens (no button): progress, then the
 * result or a friendly error. Connection-level errors also switch the whole page.
 */
export async function show(app: App, out: HTMLElement, action: () => Promise<Child>, working = 'Loading…'): Promise<void> {
  replace(out, h('p', { class: 'working' }, working));
  try {
    replace(out, await action());
  } catch (e) {
    replace(out, errorNotice(e, app.url));
    app.report(e);
  }
}

export function field(label: string, control: HTMLElement, help?: string): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  const helpId = help ? `${id}-help` : undefined;
  if (helpId) control.setAttribute('aria-describedby', helpId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('p', { class: 'help', id: helpId }, help) : null);
}

export interface PinInput {
  element: HTMLElement;
  /**
   * The PIN typed (empty when none), taken out of the field: a PIN is used once, never kept,
   * and a wrong one cannot be sent again by a second click.
   */
  take(): string | undefined;
  allowLastTry(): boolean;
}

/**
 * PIN entry. For an application whose PIN is entered on the connector's page (the default),
 * the page has no PIN field at all: the SDK opens the connector's window. Legacy applications
 * type it here: digits only, never autocompleted, never kept.
 */
export function pinInput(app: App, opts: { label?: string; help?: string; lastTry?: boolean; required?: boolean } = {}): PinInput {
  if (app.info?.pinEntry !== 'HOST_PAGE') {
    return {
      element: h('p', { class: 'help', 'data-testid': 'pin-on-connector' }, 'You will type your PIN in the connector’s own window, which opens when you click. This site never sees it.'),
      take: () => undefined,
      allowLastTry: () => false,
    };
  }
  const input = h('input', {
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '[0-9]{4,12}',
    minlength: 4,
    maxlength: 12,
    name: 'pin',
    required: opts.required !== false,
  });
  const last = h('input', { type: 'checkbox', name: 'allowLastTry' });
  const element = h(
    'div',
    { class: 'pin' },
    field(opts.label ?? 'PIN', input, opts.help ?? '4 to 12 digits. It goes to the card only and is never stored.'),
    opts.lastTry === false ? null : h('label', { class: 'check' }, last, ' Allow the last PIN try'),
  );
  return {
    element,
    take: () => {
      const pin = input.value;
      input.value = '';
      return pin;
    },
    allowLastTry: () => last.checked,
  };
}

export interface AlgorithmSelect {
  element: HTMLElement;
  value(): Algorithm | null;
}

/** The card's algorithms this page can verify, loaded from the card (no PIN, not billed). */
export function algorithmSelect(app: App, card: BeidCard): AlgorithmSelect {
  const select = h('select', { name: 'algorithm', disabled: true }, h('option', null, 'Loading…'));
  const element = field('Algorithm', select);
  card.algorithms().then(
    (algs) => {
      const usable = verifiableAlgorithms(algs);
      replace(select, usable.map((a) => h('option', { value: a }, `${a} — ${describeAlgorithm(a)}`)));
      select.disabled = usable.length === 0;
      if (usable.length === 0) element.append(notice('warning', { state: 'algorithm', title: 'No algorithm this browser can verify', text: algs.join(', ') }));
    },
    (e) => {
      replace(select, h('option', null, 'Unavailable'));
      element.append(errorNotice(e, app.url));
      app.report(e);
    },
  );
  return { element, value: () => (select.disabled ? null : (select.value as Algorithm)) };
}

export const verdict = (ok: boolean, yes: string, no: string): HTMLElement =>
  h('p', { class: `verdict ${ok ? 'verdict-ok' : 'verdict-bad'}`, 'data-testid': 'verdict' }, h('span', { 'aria-hidden': 'true' }, ok ? '✓ ' : '✗ '), ok ? yes : no);

export const badge = (ok: boolean, text: string): HTMLElement =>
  h('span', { class: `badge ${ok ? 'badge-ok' : 'badge-bad'}` }, h('span', { 'aria-hidden': 'true' }, ok ? '✓ ' : '✗ '), text);
