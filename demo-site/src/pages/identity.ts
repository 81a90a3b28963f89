import { isConnectorError, type BeidCard, type Identity } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { fields, h } from '../lib/dom.js';
import { badge, output, run, type Page } from '../ui.js';

const SEX: Record<Identity['sex'], string> = { MALE: 'male', FEMALE: 'female' };
const DOCUMENT: Record<Identity['documentType'], string> = {
  BELGIAN_CITIZEN: 'Belgian citizen card',
  KIDS_CARD: 'Kids card',
  FOREIGNER: 'Foreigner card',
  OTHER: 'Other',
};
const STATUS: Record<Identity['specialStatus'][number], string> = {
  WHITE_CANE: 'white cane',
  YELLOW_CANE: 'yellow cane',
  EXTENDED_MINORITY: 'extended minority',
};

export const identityPage: Page = {
  id: 'identity',
  title: 'Identity',
  intro: 'Identity, address and photo in one request, each checked against the National Register’s signatures.',
  needsCard: true,
  render(app: App, card: BeidCard | null) {
    const out = output('identity');
    const button = h('button', { type: 'button', onclick: () => void read() }, 'Read the card');
    const read = () =>
      run(app, button, out, async () => {
        const parts = { identity: true, address: true, photo: true, integrity: true } as const;
        // Applications with consent on: the user allows this site on the connector's page first (a popup, still inside the click).
        const { identity: id, address, photo, integrity } = await card!.read(parts).catch(async (e: unknown) => {
          if (!isConnectorError(e) || e.code !== 'CONSENT_REQUIRED') throw e;
          await app.connector.requestConsent();
          return card!.read(parts);
        });
        const name = `${id.firstNames} ${id.thirdNameInitial ?? ''} ${id.surname}`.replace(/\s+/g, ' ').trim();
        return h(
          'article',
          { class: 'identity' },
          h('img', { class: 'photo', src: `data:${photo.mimeType};base64,${photo.base64}`, alt: `Photo of ${name}`, 'data-testid': 'photo' }),
          h(
            'div',
            null,
            h('h3', { 'data-testid': 'name' }, name),
            h(
              'p',
              { class: 'badges', 'data-testid': 'integrity', 'aria-label': 'Integrity checks' },
              badge(integrity.identity, integrity.identity ? 'Identity verified' : 'Identity NOT verified'),
              badge(integrity.address, integrity.address ? 'Address verified' : 'Address NOT verified'),
              badge(integrity.photo, integrity.photo ? 'Photo verified' : 'Photo NOT verified'),
            ),
            fields(
              [
                ['Surname', id.surname],
                ['First names', id.firstNames],
                ['Born', `${id.birthDate} in ${id.birthPlace}`],
                ['Sex', SEX[id.sex]],
                ['Nationality', id.nationality],
                ['National number', id.nationalNumber],
                ['Noble condition', id.nobleCondition ?? null],
                ['Special status', id.specialStatus.map((s) => STATUS[s]).join(', ') || null],
                ['Address', `${address.streetAndNumber}, ${address.zipCode} ${address.municipality}`],
                ['Document', `${DOCUMENT[id.documentType]} (type ${id.documentTypeCode})`],
                ['Card number', id.cardNumber],
                ['Valid', `${id.validityBegin} to ${id.validityEnd}`],
                ['Issued by', id.issuingMunicipality],
                ['Chip number', id.chipNumber],
              ],
              { 'data-testid': 'identity-fields' },
            ),
          ),
        );
      });
    return h('div', null, h('p', null, button), out);
  },
};
