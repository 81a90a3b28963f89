import type { Organisation } from '../store/repository.js';
import type { FleetStatus } from '../services/fleet.js';
import type { PublicUser } from '../services/users.js';
import { html, raw, url, type Html } from './html.js';

export const BASE = '/dashboard';

export type Section = 'orgs' | 'apps' | 'fleet' | 'versions' | 'reports' | 'config' | 'audit' | 'users';

export interface View {
  title: string;
  user?: PublicUser | undefined;
  /** Token for the forms on this page (logout included). */
  csrf?: string | undefined;
  org?: Organisation | undefined;
  section?: Section | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

export const orgPath = (org: Organisation, ...rest: (string | { v: string })[]): string => url([`${BASE}/orgs/`, { v: org.name }, ...rest]);

const current = (on: boolean): Html => (on ? html` aria-current="page"` : html``);

/** A hidden CSRF field; every state-changing form carries one. */
export const statusBadge = (s: FleetStatus): Html => html`<span class="badge status-${s}">${s}</span>`;

export const csrfField = (token: string | undefined): Html => html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;

/**
 * Every table scrolls sideways inside its own box: a wide report or fleet table never widens
 * the page (1280 px screens, 390 px phones). The box is focusable so keyboards can scroll it.
 */
function scrollableTables(body: Html): Html {
  // Data is escaped (`&lt;table`), so only the pages' own markup matches.
  return raw(body.value.replace(/<table\b/g, '<div class="table-scroll" tabindex="0"><table').replace(/<\/table>/g, '</table></div>'));
}

export function page(v: View, body: Html): string {
  const user = v.user;
  const top = user
    ? html`<nav aria-label="Main"><ul>
<li><a href="${BASE}/"${current(v.section === 'orgs' && !v.org)}>Organisations</a></li>
${user.role === 'admin' ? html`<li><a href="${BASE}/audit"${current(v.section === 'audit')}>Audit log</a></li>` : ''}
${user.role === 'admin' && user.orgId === null ? html`<li><a href="${BASE}/users"${current(v.section === 'users')}>Users</a></li>` : ''}
</ul></nav>
<div class="who"><span>${user.email} <span class="muted">(${user.role === 'admin' ? 'admin' : 'business, read-only'})</span></span>
<form class="inline" method="post" action="${BASE}/logout">${csrfField(v.csrf)}<button type="submit">Log out</button></form></div>`
    : html``;
  const org = v.org;
  const sub = org
    ? html`<nav class="sub" aria-label="Organisation ${org.name}"><ul>
<li><strong>${org.name}</strong></li>
<li><a href="${orgPath(org)}"${current(v.section === 'apps')}>Applications</a></li>
<li><a href="${orgPath(org, '/devices')}"${current(v.section === 'fleet')}>Fleet</a></li>
<li><a href="${orgPath(org, '/versions')}"${current(v.section === 'versions')}>Versions</a></li>
<li><a href="${orgPath(org, '/reports')}"${current(v.section === 'reports')}>Billing reports</a></li>
<li><a href="${orgPath(org, '/config')}"${current(v.section === 'config')}>Configuration</a></li>
${user?.role === 'admin' ? html`<li><a href="${url([`${BASE}/audit`], { org: org.name })}"${current(v.section === 'audit')}>Audit log</a></li>` : ''}
</ul></nav>`
    : html``;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${v.title} · Cardlink DS</title>
<link rel="stylesheet" href="${BASE}/static/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${BASE}/">Cardlink DS</a>${top}</header>
${sub}
<main id="main">
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${v.error ? html`<p class="error" id="page-error" role="alert">${v.error}</p>` : ''}
${scrollableTables(body)}
</main>
</body>
</html>
`.value;
}

/** Fixed messages for `?done=` after a redirect: nothing from the query string is reflected. */
export const NOTICES: Record<string, string> = {
  'org-created': 'Organisation created.',
  'app-created': 'Application created.',
  'app-renamed': 'Application renamed.',
  'app-settings': 'Connector page settings saved; connectors get them with their next sync.',
  'app-relabelled': 'Label changed. Connectors get it with their next sync; transactions already recorded keep the old label.',
  'origin-added': 'Origin added. Connectors allow it after their next sync.',
  'origin-removed': 'Origin removed. Connectors refuse it after their next sync.',
  'config-saved': 'Configuration saved. Connectors apply it at their next sync.',
  'user-created': 'User created.',
  'user-updated': 'User updated.',
};

export const notice = (done: unknown): string | undefined => (typeof done === 'string' ? NOTICES[done] : undefined);

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC').replace(/Z$/, ' UTC');
}

export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const text =
    s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} days`;
  return seconds < 0 ? `${text} ago` : text;
}
