import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OriginPolicy } from '../origins/origin-policy.js';
import type { ConsentStore } from './consent-store.js';
import { FormTokens } from './form-tokens.js';
import { html, shell } from './html.js';
import { sendPage } from './page-headers.js';
import { pageRequest, readOwnForm, type PageRequest } from './page-request.js';

export interface SettingsPageDeps {
  origins: OriginPolicy;
  consents: ConsentStore;
}

interface Row {
  origin: string;
  label: string;
  consentMode: string;
  consentAt: string | null;
  lastUsedAt: string | null;
}

/**
 * GET /settings: the applications allowed on this connector, when each last used the card, the
 * consents given, and "forget" (POST /settings/forget, same origin, single-use CSRF secret).
 */
export function settingsPage(d: SettingsPageDeps) {
  const tokens = new FormTokens();

  function rows(): Row[] {
    const list = d.origins.current();
    const byOrigin = new Map<string, Row>();
    for (const e of list.entries) {
      byOrigin.set(e.origin, { origin: e.origin, label: e.label, consentMode: list.settingsFor(e.label).consent, consentAt: null, lastUsedAt: null });
    }
    for (const a of d.consents.list()) {
      const label = list.labelFor(a.origin) ?? a.label;
      const row = byOrigin.get(a.origin) ?? { origin: a.origin, label, consentMode: list.settingsFor(label).consent, consentAt: null, lastUsedAt: null };
      row.consentAt = a.consentAt;
      row.lastUsedAt = a.lastUsedAt;
      byOrigin.set(a.origin, row);
    }
    return [...byOrigin.values()].sort((a, b) => a.label.localeCompare(b.label) || a.origin.localeCompare(b.origin));
  }

  function page(p: PageRequest, notice?: string): string {
    const { t } = p;
    const all = rows();
    const csrf = tokens.issue();
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(p.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : t('never'));
    const consentText = (r: Row) =>
      r.consentMode === 'OFF' ? t('notNeeded') : r.consentAt ? when(r.consentAt) : r.consentMode === 'EVERY_SESSION' ? t('everySession') : t('notAsked');
    const body = html`
${notice ? html`<p class="notice" role="status" data-testid="settings-notice">${notice}</p>` : ''}
<h2>${t('allowedApps')}</h2>
${all.length === 0 ? html`<p>${t('noApps')}</p>` : html`<table data-testid="apps"><thead><tr><th>${t('application')}</th><th>${t('website')}</th><th>${t('lastUse')}</th><th>${t('consent')}</th><th></th></tr></thead><tbody>
${all.map(
  (r) => html`<tr data-origin="${r.origin}"><td>${r.label}</td><td><code>${r.origin}</code></td><td data-col="last-use">${when(r.lastUsedAt)}</td><td data-col="consent">${consentText(r)}</td>
<td>${r.consentAt || r.lastUsedAt ? html`<form method="post" action="/settings/forget"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="origin" value="${r.origin}"><button type="submit" class="secondary">${t('forget')}</button></form>` : ''}</td></tr>`,
)}</tbody></table>`}`;
    return shell({ lang: p.lang, t, title: t('settingsTitle'), host: p.host, body });
  }

  async function show(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    sendPage(res, req.method === 'GET' ? 200 : 405, page(p), p.lang);
  }

  async function forget(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pageRequest(req);
    const form = await readOwnForm(req, p);
    if (!tokens.spend(form.get('csrf'))) return void sendPage(res, 403, page(p), p.lang);
    const origin = (form.get('origin') ?? '').slice(0, 2048);
    d.consents.forget(origin);
    sendPage(res, 200, page(p, p.t('forgotten', { origin })), p.lang);
  }

  return { show, forget };
}
