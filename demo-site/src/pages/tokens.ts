// PKCS#11 tokens: every token the connector reaches through a PKCS#11 library (OpenSC,
// SoftHSM2, vendor libraries), its certificates, and a signature with a certificate's key,
// checked in the browser with WebCrypto.
import type { Algorithm, Pkcs11Library, Token, TokenCertificate } from '@cardlink/web-sdk';
import { tokensOf } from '@cardlink/web-sdk/tokens';
import type { App } from '../app.js';
import { notice } from '../errors.js';
import { fields, h, replace } from '../lib/dom.js';
import { describeAlgorithm, digest, verifiableAlgorithms } from '../lib/verify.js';
import { field, output, run, show, badge, type Page } from '../ui.js';
import { signatureReport } from './sign.js';

const code = (s: string) => h('code', null, s);
const day = (iso: string) => iso.slice(0, 10);

/** No token anywhere: say what the connector looked at and how to add a library. */
function noTokenNotice(libraries: Pkcs11Library[]): HTMLElement {
  return notice('warning', {
    state: 'no-token',
    title: 'No token found',
    text: libraries.length === 0 ? 'This computer has no PKCS#11 library the connector knows of.' : `No token is present in the slots of ${libraries.map((l) => l.name).join(', ')}.`,
    hints: [
      'Insert your token or smart card, then press "Refresh".',
      ['A token with its own library: ', code('connector pkcs11 add <name> <path-to-library.so>'), '. OpenSC and SoftHSM2 are found without configuration.'],
    ],
  });
}

/** Libraries that fail, each with its reason (a missing file, not a PKCS#11 library, a timeout). */
function libraryProblems(libraries: Pkcs11Library[]): HTMLElement | null {
  const failing = libraries.filter((l) => l.error);
  if (failing.length === 0) return null;
  return notice('warning', {
    state: 'library-error',
    title: failing.length === 1 ? 'A PKCS#11 library does not work' : 'Some PKCS#11 libraries do not work',
    text: 'Their tokens are not listed:',
    hints: failing.map((l) => [h('strong', null, l.name), ` (${l.error!.code}): ${l.error!.message}`]),
  });
}

function tokenSummary(t: Token): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'token', 'data-token-id': t.id },
    fields([
      ['Label', t.label],
      ['Maker and model', `${t.manufacturer} ${t.model}`],
      ['Serial number', code(t.serialNumber)],
      ['Library and slot', `${t.library}, ${t.slotDescription}`],
      ['PIN', t.protectedAuthenticationPath ? 'entered on the reader’s own PIN pad' : t.loginRequired ? 'needed for its keys' : 'not needed'],
      ['PIN tries', t.pinTriesLeft === 0 ? 'blocked' : t.pinTriesLeft === 1 ? 'last try' : t.pinCountLow ? 'a wrong PIN was entered recently' : ''],
    ]),
    // The same card may be read through OpenSC and served natively: point to the native pages.
    t.alsoServedBy
      ? notice('info', {
          state: 'also-served-by',
          title: `This is the ${t.alsoServedBy.module === 'BEID' ? 'Belgian eID card' : 'card'} in "${t.alsoServedBy.readerName}"`,
          text: 'The connector serves it natively too: the Identity, Certificates, Sign and Authenticate pages use it directly. This page shows it as a PKCS#11 token.',
        })
      : null,
  );
}

function certificateRow(c: TokenCertificate): HTMLElement {
  const now = Date.now();
  const valid = Date.parse(c.certificate.notBefore) <= now && now <= Date.parse(c.certificate.notAfter);
  return h(
    'article',
    { class: 'certificate', 'data-testid': 'token-certificate', 'data-key-id': c.keyId },
    h('h3', null, c.label || `Key ${c.keyId}`, ' ', badge(valid, valid ? 'valid' : 'not valid now')),
    fields([
      ['Subject', c.certificate.subject],
      ['Issuer', c.certificate.issuer],
      ['Valid', `${day(c.certificate.notBefore)} to ${day(c.certificate.notAfter)}`],
      ['Key', c.certificate.publicKeyAlgorithm],
      ['Key id', code(c.keyId || '(none)')],
      ['Algorithms', c.algorithms.join(', ') || 'none this token offers'],
    ]),
  );
}

/** Certificates of one token, and the signing form over those with a key and a verifiable algorithm. */
function tokenView(app: App, t: Token, certs: TokenCertificate[]): HTMLElement {
  const usable = certs.filter((c) => c.keyId && verifiableAlgorithms(c.algorithms).length > 0);
  if (certs.length === 0) return h('div', null, tokenSummary(t), notice('info', { state: 'no-certificate', title: 'No certificate on this token', text: 'It holds no certificate to sign with.' }));

  const certSelect = h('select', { name: 'certificate' }, usable.map((c) => h('option', { value: c.keyId }, `${c.label || c.keyId} — ${c.certificate.subject} (${c.certificate.publicKeyAlgorithm})`)));
  const algSelect = h('select', { name: 'algorithm' });
  const fillAlgorithms = () => {
    const c = usable.find((x) => x.keyId === certSelect.value);
    replace(algSelect, verifiableAlgorithms(c?.algorithms ?? []).map((a) => h('option', { value: a }, `${a} — ${describeAlgorithm(a)}`)));
  };
  certSelect.addEventListener('change', fillAlgorithms);
  fillAlgorithms();
  const text = h('textarea', { name: 'text', rows: 3 }, 'I agree to the terms and conditions.');
  const pin = h('input', { type: 'password', name: 'pin', autocomplete: 'off', maxlength: 64 });
  const lastTry = h('input', { type: 'checkbox', name: 'allowLastTry' });
  const out = output('token-sign');
  const submit = h('button', { type: 'submit' }, 'Sign with the token');

  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void run(app, submit, out, async () => {
          const algorithm = algSelect.value as Algorithm;
          const data = new TextEncoder().encode(text.value);
          const hash = await digest(algorithm, data as BufferSource);
          // The PIN is used once and taken out of the field.
          const typed = pin.value;
          pin.value = '';
          const result = await tokensOf(app.connector).sign({
            tokenId: t.id,
            keyId: certSelect.value,
            algorithm,
            hash,
            ...(typed ? { pin: typed } : {}),
            allowLastTry: lastTry.checked,
          });
          return signatureReport(result, data, hash, `the text (${data.length} bytes)`, { yes: 'Signature valid', no: 'Signature NOT valid' });
        });
      },
    },
    field('Certificate (its key signs)', certSelect),
    field('Algorithm', algSelect),
    field('Text to sign', text, 'Only its hash goes to the token.'),
    t.protectedAuthenticationPath ? h('p', null, 'Enter the PIN on the reader’s PIN pad when asked.') : field('Token PIN', pin, 'Sent to the token for this one signature; never stored.'),
    h('label', { class: 'check' }, lastTry, ' Allow the last PIN try'),
    h('p', null, submit),
  );
  return h(
    'div',
    null,
    tokenSummary(t),
    h('h3', null, 'Certificates'),
    h('div', { class: 'certificates' }, certs.map(certificateRow)),
    usable.length ? h('div', null, h('h3', null, 'Sign'), form, out) : notice('info', { state: 'no-signing-key', title: 'No certificate here can sign in a way this browser verifies', text: 'None has a key id and an algorithm WebCrypto checks.' }),
  );
}

export const tokensPage: Page = {
  id: 'tokens',
  title: 'Tokens',
  intro: 'Tokens and smart cards reached through PKCS#11 libraries (OpenSC, SoftHSM2, your token’s own library): their certificates, and a signature checked right here with WebCrypto.',
  needsCard: false,
  render(app: App) {
    const out = output('tokens');
    const detail = h('div', { 'data-testid': 'token-detail' });
    const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh');

    const open = (t: Token) => show(app, detail, async () => tokenView(app, t, await tokensOf(app.connector).certificates(t.id)), 'Reading the certificates…');

    const load = () =>
      show(app, out, async () => {
        replace(detail);
        const [libraries, tokens] = await Promise.all([tokensOf(app.connector).libraries(), tokensOf(app.connector).list()]);
        const problems = libraryProblems(libraries);
        if (tokens.length === 0) return h('div', null, problems, noTokenNotice(libraries));
        const select = h(
          'select',
          { name: 'token', onchange: () => void open(tokens.find((t) => t.id === select.value)!) },
          tokens.map((t) => h('option', { value: t.id }, `${t.label} — ${t.manufacturer} ${t.model} (${t.library})${t.alsoServedBy ? ` · also ${t.alsoServedBy.module} in ${t.alsoServedBy.readerName}` : ''}`)),
        );
        void open(tokens[0]!);
        return h('div', null, problems, field(`Token (${tokens.length} found)`, select));
      }, 'Looking for tokens…');
    queueMicrotask(() => void load());
    return h('div', null, h('p', null, refresh), out, detail);
  },
};
