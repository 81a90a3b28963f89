import type { ReaderEvent } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { fields, h } from '../lib/dom.js';
import type { Page } from '../ui.js';

const EVENT_TEXT: Record<ReaderEvent['type'], string> = {
  READER_ADDED: 'Reader connected',
  READER_REMOVED: 'Reader disconnected',
  CARD_INSERTED: 'Card inserted',
  CARD_REMOVED: 'Card removed',
};

const duration = (s: number) => (s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`);
const time = (iso: string) => new Date(iso).toLocaleTimeString();

export const statusPage: Page = {
  id: 'status',
  title: 'Connector status',
  intro: 'Is the connector installed, running and trusted, and which readers and cards does it see? Readers and cards update live.',
  needsCard: false,
  render(app: App) {
    const { connection, readers, readersError, live, events } = app.state;
    if (connection.status !== 'ready') {
      return h('p', { class: 'muted' }, connection.status === 'connecting' ? 'Connecting to the connector…' : 'Not connected: see the message above.');
    }
    const info = connection.info;
    return h(
      'div',
      null,
      h(
        'section',
        { 'aria-labelledby': 'connector-h', 'data-testid': 'connector-info' },
        h('h3', { id: 'connector-h' }, 'Connector'),
        fields([
          ['Status', h('span', { class: 'badge badge-ok' }, 'Running')],
          ['Version', `${info.name} ${info.version}`],
          ['API version', info.apiVersion],
          ['Application label', info.label],
          ['Address', app.url],
          ['System', `${info.os} ${info.arch}`],
          ['Up for', duration(info.uptimeSeconds)],
          ['Smart-card service', info.pcscAvailable ? 'available' : 'not available'],
          ['Managed by a Distribution Service', info.managed ? 'yes' : 'no'],
          ['Device id', info.deviceId ?? null],
        ]),
      ),
      h(
        'section',
        { 'aria-labelledby': 'readers-h' },
        h('h3', { id: 'readers-h' }, 'Readers ', h('span', { class: `badge ${live ? 'badge-ok' : 'badge-bad'}`, 'data-testid': 'live' }, live ? 'live' : 'not live')),
        readersError
          ? h('p', { class: 'muted' }, 'The readers cannot be listed (see the message on the card pages).')
          : readers.length === 0
            ? h('p', { 'data-testid': 'no-readers' }, 'No card reader found.')
            : h(
                'ul',
                { class: 'readers', 'data-testid': 'readers' },
                readers.map((r) =>
                  h(
                    'li',
                    { 'data-reader': r.name },
                    h('span', { class: 'reader-name' }, r.name),
                    ' — ',
                    r.card
                      ? h('span', { class: 'card-state' }, r.card.module === 'BEID' ? 'Belgian eID card' : (r.card.description ?? 'unknown card'))
                      : h('span', { class: 'card-state muted' }, 'no card'),
                  ),
                ),
              ),
        h('button', { type: 'button', class: 'secondary', onclick: () => void app.refreshReaders() }, 'Refresh readers'),
      ),
      h(
        'section',
        { 'aria-labelledby': 'events-h' },
        h('h3', { id: 'events-h' }, 'Recent events'),
        events.length === 0
          ? h('p', { class: 'muted' }, 'None yet: insert or remove a card.')
          : h('ol', { class: 'events', 'data-testid': 'events' }, events.map((e) => h('li', null, h('time', { datetime: e.at }, time(e.at)), ' ', h('span', { class: 'event' }, `${EVENT_TEXT[e.type]} — ${e.reader.name}`)))),
      ),
    );
  },
};
