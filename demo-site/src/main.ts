// The demo: one page per use case (hash routes), a banner for connector-level states, and
// the reader in use. Each page sends its own billing tag (demo:<page>).
import './styles.css';
import { App } from './app.js';
import { connectorUrl } from './config.js';
import { errorNotice } from './errors.js';
import { h, replace } from './lib/dom.js';
import { authenticatePage } from './pages/authenticate.js';
import { certificatesPage } from './pages/certificates.js';
import { filesPage } from './pages/files.js';
import { identityPage } from './pages/identity.js';
import { pinPage } from './pages/pin.js';
import { printPage } from './pages/print.js';
import { signPage } from './pages/sign.js';
import { statusPage } from './pages/status.js';
import { tokensPage } from './pages/tokens.js';
import { usagePage } from './pages/usage.js';
import { cardGate, gateKey, type Page } from './ui.js';

const PAGES: Page[] = [statusPage, identityPage, certificatesPage, pinPage, signPage, authenticatePage, tokensPage, filesPage, printPage, usagePage];

const app = new App(connectorUrl());

const nav = document.getElementById('nav')!;
const banner = document.getElementById('banner')!;
const readerBar = document.getElementById('reader')!;
const heading = document.getElementById('page-title')!;
const intro = document.getElementById('page-intro')!;
const content = document.getElementById('page')!;
const pill = document.getElementById('connection')!;

const pageOf = (hash: string): Page => PAGES.find((p) => `#/${p.id}` === hash) ?? statusPage;

let current: Page | null = null;
let renderedKey = '';

function keyFor(page: Page): string {
  if (page === statusPage) return String(Math.random()); // redrawn on every change: it only shows state
  return page.needsCard ? gateKey(app) : app.state.connection.status;
}

function renderNav(page: Page): void {
  replace(
    nav,
    h(
      'ul',
      null,
      PAGES.map((p) => h('li', null, h('a', { href: `#/${p.id}`, 'aria-current': p === page ? 'page' : null }, p.title))),
    ),
  );
}

function renderChrome(): void {
  const { connection } = app.state;
  pill.className = `pill pill-${connection.status}`;
  pill.textContent =
    connection.status === 'ready'
      ? `Connector ${connection.info.version} · ${connection.info.label}`
      : connection.status === 'connecting'
        ? 'Connecting…'
        : 'Not connected';
  if (connection.status === 'error') {
    replace(banner, errorNotice(connection.error, app.url, h('p', { class: 'muted' }, 'This page checks again every few seconds. ', h('button', { type: 'button', class: 'secondary', onclick: () => void app.connect() }, 'Check now'))));
  } else replace(banner);

  const reader = app.selectedReader;
  const { readers } = app.state;
  if (connection.status !== 'ready' || readers.length === 0) {
    replace(readerBar);
    return;
  }
  const select =
    readers.length > 1
      ? h(
          'select',
          { id: 'reader-select', onchange: (e: Event) => app.selectReader((e.target as HTMLSelectElement).value) },
          readers.map((r) => h('option', { value: r.id, selected: r.id === reader?.id }, r.name)),
        )
      : h('strong', null, reader?.name ?? '');
  replace(
    readerBar,
    readers.length > 1 ? h('label', { for: 'reader-select' }, 'Reader ') : h('span', null, 'Reader '),
    select,
    ' — ',
    h(
      'span',
      { 'data-testid': 'card-state' },
      !reader?.card ? 'no card' : reader.card.module === 'BEID' ? 'Belgian eID card inserted' : `other card (${reader.card.description ?? 'unknown'})`,
    ),
  );
}

function render(force = false): void {
  const page = pageOf(location.hash);
  renderChrome();
  const key = keyFor(page);
  if (!force && page === current && key === renderedKey) return;
  const navigated = page !== current;
  current = page;
  renderedKey = key;
  app.connector.setTag(`demo:${page.id}`);
  if (navigated) {
    renderNav(page);
    heading.textContent = page.title;
    intro.textContent = page.intro;
    document.title = `${page.title} · Cardlink demo`;
  }
  const gate = page === statusPage ? null : page.needsCard ? cardGate(app) : app.state.connection.status === 'ready' ? null : cardGate(app);
  const reader = app.selectedReader;
  replace(content, gate ?? page.render(app, page.needsCard && reader ? app.connector.beid(reader.id) : null));
  if (navigated && document.activeElement?.closest('nav')) heading.focus();
}

window.addEventListener('hashchange', () => render());
app.onChange(() => render());
render(true);
void app.connect();
