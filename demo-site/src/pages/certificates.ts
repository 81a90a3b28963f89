import type { BeidCard, BeidCertificates, Certificate } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { fields, h } from '../lib/dom.js';
import { badge, output, run, type Page } from '../ui.js';

const ROLES: [keyof BeidCertificates, string][] = [
  ['authentication', 'Authentication'],
  ['nonRepudiation', 'Signature (non-repudiation)'],
  ['citizenCa', 'Citizen CA'],
  ['root', 'Belgium Root CA'],
  ['rrn', 'National Register (RRN)'],
];

const day = (iso: string) => iso.slice(0, 10);

function certificateCard(role: string, c: Certificate): HTMLElement {
  const now = Date.now();
  const valid = Date.parse(c.notBefore) <= now && now <= Date.parse(c.notAfter);
  const file = URL.createObjectURL(new Blob([c.pem], { type: 'application/x-pem-file' }));
  return h(
    'article',
    { class: 'certificate', 'data-role': role },
    h('h3', null, role, ' ', badge(valid, valid ? 'valid' : Date.parse(c.notAfter) < now ? 'expired' : 'not yet valid')),
    fields([
      ['Subject', c.subject],
      ['Issuer', c.issuer],
      ['Valid', `${day(c.notBefore)} to ${day(c.notAfter)}`],
      ['Serial number', h('code', null, c.serialNumber)],
      ['Key', c.publicKeyAlgorithm],
    ]),
    h('a', { href: file, download: `${role.replace(/\W+/g, '-').toLowerCase()}.pem` }, 'Save the certificate (PEM)'),
  );
}

export const certificatesPage: Page = {
  id: 'certificates',
  title: 'Certificates',
  intro: 'The certificates on the card: authentication, signature, the CAs that issued them and the National Register’s.',
  needsCard: true,
  render(app: App, card: BeidCard | null) {
    const out = output('certificates');
    const button = h('button', { type: 'button', onclick: () => void read() }, 'Read the certificates');
    const read = () =>
      run(app, button, out, async () => {
        const certs = await card!.certificates();
        const present = ROLES.filter(([k]) => certs[k]);
        return h('div', { class: 'certificates' }, present.length ? present.map(([k, role]) => certificateCard(role, certs[k]!)) : h('p', null, 'The card holds no certificates.'));
      });
    return h('div', null, h('p', null, button), out);
  },
};
