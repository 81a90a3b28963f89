import type { UseCase } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { h } from '../lib/dom.js';
import { output, run, type Page } from '../ui.js';

const USE_CASES: Record<UseCase, string> = {
  IDENTITY_READ: 'Identity read',
  AUTHENTICATION: 'Authentication',
  SIGNATURE: 'Signature',
  PIN_VERIFICATION: 'PIN verification',
  PIN_CHANGE: 'PIN change',
  CONSENT: 'Consent to read the card',
  FILE_DOWNLOAD: 'File download',
  FILE_UPLOAD: 'File upload',
  FILE_PRINT: 'File print',
};

export const usagePage: Page = {
  id: 'usage',
  title: 'Usage',
  intro: 'What the connector recorded for this site’s application, by use case and page tag. Only counts: never names, numbers or PINs.',
  needsCard: false,
  render(app: App) {
    const out = output('usage');
    const button = h('button', { type: 'button', onclick: () => void load() }, 'Refresh');
    const load = () =>
      run(app, button, out, async () => {
        const t = await app.connector.transactions();
        const rows = [...t.counts].sort((a, b) => a.useCase.localeCompare(b.useCase) || (a.tag ?? '').localeCompare(b.tag ?? ''));
        return h(
          'div',
          null,
          h('p', null, 'Application ', h('strong', null, t.label), ': ', h('strong', { 'data-testid': 'total' }, String(t.total)), ` use${t.total === 1 ? '' : 's'} in all.`),
          rows.length === 0
            ? h('p', { class: 'muted' }, 'Nothing yet: read a card, verify a PIN or sign something.')
            : h(
                'table',
                { 'data-testid': 'usage-table' },
                h('caption', null, 'Uses by use case and page tag'),
                h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Use case'), h('th', { scope: 'col' }, 'Tag'), h('th', { scope: 'col', class: 'num' }, 'Count'))),
                h(
                  'tbody',
                  null,
                  rows.map((r) =>
                    h('tr', { 'data-use-case': r.useCase, 'data-tag': r.tag ?? '' }, h('td', null, USE_CASES[r.useCase]), h('td', null, r.tag ?? '—'), h('td', { class: 'num' }, String(r.count))),
                  ),
                ),
              ),
        );
      });
    queueMicrotask(() => void load());
    return h('div', null, h('p', null, button), out);
  },
};
