import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReaderSource } from '../card/reader-types.js';
import type { PendingOperation, PendingOperations } from './pending-operations.js';
import { PendingOperations as Ops } from './pending-operations.js';
import { facts, html, shell, type Html } from './html.js';
import { sendPage } from './page-headers.js';
import { pageRequest, readOwnForm, type PageRequest } from './page-request.js';

export interface OperationPageDeps {
  operations: PendingOperations;
  readers: ReaderSource;
  /** Tries left without spending one, where the card can tell; null otherwise. */
  triesLeft(readerId: string): Promise<number | null>;
}

/** How long the page waits for the GraphQL request that claims its operation id. */
const CLAIM_WAIT_MS = 5000;

/** What the page shows after an attempt that the user may repeat. */
interface Problem {
  message: string;
  lastTry?: boolean;
}

/**
 * GET /pin?op=<id> and /consent?op=<id>: the connector's page for one pending operation,
 * and the posts its forms make (/pin/submit, /pin/cancel, /consent/answer).
 */
export function operationPage(d: OperationPageDeps) {
  const tries = new WeakMap<PendingOperation, number>();

  async function show(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    if (req.method !== 'GET') return void sendPage(res, 405, message(p, 'expired'), p.lang);
    const op = await d.operations.waitFor(p.url.searchParams.get('op') ?? '', CLAIM_WAIT_MS);
    if (!op) return void sendPage(res, 410, message(p, 'expired'), p.lang);
    await render(res, p, op, 200);
  }

  async function render(res: ServerResponse, p: PageRequest, op: PendingOperation, status: number, problem?: Problem): Promise<void> {
    if (op.kind === 'consent') return void sendPage(res, status, consentPage(p, op), p.lang);
    let left = tries.get(op) ?? null;
    if (left === null && op.readerId) left = await d.triesLeft(op.readerId).catch(() => null);
    const reader = op.readerId ? d.readers.get(op.readerId) : undefined;
    sendPage(res, status, pinPage(p, op, { left, readerName: reader?.name, card: reader?.card?.description ?? undefined }, problem), p.lang);
  }

  /** The operation a form names, if its CSRF secret matches. */
  function claimed(form: URLSearchParams): PendingOperation | undefined {
    const op = d.operations.get(form.get('op') ?? '');
    return op && Ops.csrfMatches(op, form.get('csrf')) ? op : undefined;
  }

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    const form = await readOwnForm(req, p);
    const op = claimed(form);
    if (!op || op.kind === 'consent') return void sendPage(res, 410, message(p, 'expired'), p.lang);
    const pin = form.get('pin') ?? '';
    const newPin = op.kind === 'change' ? (form.get('newPin') ?? '') : undefined;
    if (op.kind === 'change' && newPin !== form.get('newPin2')) return render(res, p, op, 400, { message: p.t('pinsDiffer') });
    try {
      await op.attempt({ pin, newPin, allowLastTry: form.get('lastTry') === 'on' });
      sendPage(res, 200, message(p, 'done'), p.lang);
    } catch (e) {
      // Card-layer errors carry `details`, connector errors `extensions`.
      const { code, extensions, details } = e as { code?: string; extensions?: { retriesLeft?: unknown }; details?: { retriesLeft?: unknown } };
      const given = extensions?.retriesLeft ?? details?.retriesLeft;
      const left = typeof given === 'number' ? given : undefined;
      if (left !== undefined) tries.set(op, left);
      if (code === 'PIN_INCORRECT' && left !== undefined) {
        return render(res, p, op, 400, { message: left === 1 ? p.t('wrongPinOne') : p.t('wrongPin', { n: left }), lastTry: left === 1 });
      }
      if (code === 'PIN_LAST_TRY_REFUSED') return render(res, p, op, 400, { message: p.t('lastTryRefused'), lastTry: true });
      if (code === 'INVALID_INPUT') return render(res, p, op, 400, { message: p.t('pinFormat') });
      if (code === 'PIN_BLOCKED') return void sendPage(res, 200, message(p, 'blocked'), p.lang);
      sendPage(res, 200, message(p, 'failed', String(code ?? 'INTERNAL')), p.lang);
    }
  }

  async function cancel(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    const op = claimed(await readOwnForm(req, p));
    if (!op) return void sendPage(res, 410, message(p, 'expired'), p.lang);
    op.cancel();
    sendPage(res, 200, message(p, 'cancelled'), p.lang);
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    const form = await readOwnForm(req, p);
    const op = claimed(form);
    if (!op || op.kind !== 'consent') return void sendPage(res, 410, message(p, 'expired'), p.lang);
    const granted = form.get('answer') === 'allow';
    op.answer(granted);
    sendPage(res, 200, message(p, granted ? 'done' : 'cancelled'), p.lang);
  }

  return { show, submit, cancel, answer };
}

function hidden(op: PendingOperation): Html {
  return html`<input type="hidden" name="op" value="${op.id}"><input type="hidden" name="csrf" value="${op.csrf}">`;
}

export interface PinPageFacts {
  left: number | null;
  readerName?: string | undefined;
  card?: string | undefined;
}

export function pinPage(p: PageRequest, op: PendingOperation, f: PinPageFacts, problem?: Problem): string {
  const { t } = p;
  const kindKey = `op.${op.kind as 'verify' | 'authenticate' | 'sign' | 'change'}` as const;
  const lastTry = problem?.lastTry || f.left === 1;
  const body = html`
<section class="notice"><p data-testid="operation">${t(kindKey)}</p></section>
${facts([
  [t('application'), op.label],
  [t('website'), op.origin],
  [t('reader'), f.readerName],
  [t('card'), f.card],
  [t('algorithm'), op.algorithm],
  [t('document'), op.documentName, op.documentName !== undefined ? t('givenByPage') : undefined],
  [t('digest'), op.digestHex === undefined ? undefined : html`<code data-testid="digest">${op.digestHex}</code>`, op.digestHex !== undefined ? t('givenByPage') : undefined],
  [t('triesLeft'), f.left === null ? t('triesUnknown') : f.left],
])}
${problem ? html`<p class="error" role="alert" data-testid="problem">${problem.message}</p>` : ''}
<form method="post" action="/pin/submit" data-op="${op.id}" data-cancel="/pin/cancel" autocomplete="off">${hidden(op)}
<label for="pin">${op.kind === 'change' ? t('currentPin') : t('pin')}</label>
<input id="pin" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4,12}" minlength="4" maxlength="12" required autofocus autocomplete="off">
${op.kind === 'change' ? html`<label for="newPin">${t('newPin')}</label><input id="newPin" name="newPin" type="password" inputmode="numeric" pattern="[0-9]{4,12}" minlength="4" maxlength="12" required autocomplete="off">
<label for="newPin2">${t('repeatPin')}</label><input id="newPin2" name="newPin2" type="password" inputmode="numeric" pattern="[0-9]{4,12}" minlength="4" maxlength="12" required autocomplete="off">` : ''}
${lastTry ? html`<label class="check"><input type="checkbox" name="lastTry" required> ${t('lastTry')}</label>` : ''}
<div class="buttons"><button type="submit">${t('ok')}</button><button type="submit" class="secondary" formaction="/pin/cancel" formnovalidate>${t('cancel')}</button></div>
</form>`;
  return shell({ lang: p.lang, t, title: op.kind === 'change' ? t('op.change') : t('pinTitle'), host: p.host, body });
}

export function consentPage(p: PageRequest, op: PendingOperation): string {
  const { t } = p;
  const body = html`
<p class="notice" data-testid="question"><strong>${t('consentQuestion', { label: op.label, origin: op.origin })}</strong></p>
<p>${t('consentExplain')}</p>
${facts([[t('application'), op.label], [t('website'), op.origin]])}
<form method="post" action="/consent/answer" data-op="${op.id}" data-cancel="/pin/cancel">${hidden(op)}
<div class="buttons"><button type="submit" name="answer" value="allow">${t('allow')}</button><button type="submit" name="answer" value="refuse" class="secondary">${t('refuse')}</button></div>
</form>`;
  return shell({ lang: p.lang, t, title: t('consentTitle'), host: p.host, body });
}

/** A final page: done, cancelled, blocked, failed (with the error code) or expired; closes itself when the operation ended. */
export function message(p: PageRequest, what: 'done' | 'cancelled' | 'blocked' | 'failed' | 'expired', code = ''): string {
  const text = what === 'failed' ? p.t('failed', { code }) : p.t(what);
  return shell({ lang: p.lang, t: p.t, title: 'Cardlink', host: p.host, autoClose: what !== 'expired', body: html`<p class="notice" role="status" data-testid="outcome" data-outcome="${what}">${text}</p>` });
}
