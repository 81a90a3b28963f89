import type { Algorithm, BeidCard, SignatureResult } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { notice } from '../errors.js';
import { fields, h, hex, uid } from '../lib/dom.js';
import { describeAlgorithm, digest, subjectCommonName, verifySignature } from '../lib/verify.js';
import { algorithmSelect, field, output, pinInput, run, verdict, type Page } from '../ui.js';

/** The signature, the certificate's subject and the verdict of the browser's own check. */
export async function signatureReport(
  result: SignatureResult,
  data: Uint8Array,
  hash: Uint8Array,
  what: string,
  words: { yes: string; no: string },
): Promise<HTMLElement> {
  const valid = await verifySignature({ algorithm: result.algorithm, certificate: result.certificate, data: data as BufferSource, signature: result.signature });
  return h(
    'div',
    null,
    verdict(valid, words.yes, words.no),
    h('p', { class: 'muted' }, `Checked in this browser with WebCrypto (${describeAlgorithm(result.algorithm)}) against the public key of the certificate the card used.`),
    fields([
      ['Signed', what],
      [`Hash (${describeAlgorithm(result.algorithm).split(' with ')[1]})`, h('code', { class: 'wrap' }, hex(hash))],
      ['Certificate of', subjectCommonName(result.certificate) ?? 'unknown'],
      ['Signature', h('details', null, h('summary', null, `${atob(result.signature).length} bytes, base64`), h('code', { class: 'wrap' }, result.signature))],
    ]),
  );
}

export const signPage: Page = {
  id: 'sign',
  title: 'Sign',
  intro: 'Sign a text or a file with the card’s signature key. Only the hash leaves this page; the signature is then checked right here, in the browser.',
  needsCard: true,
  render(app: App, card: BeidCard | null) {
    const mode = uid('mode');
    const textRadio = h('input', { type: 'radio', name: mode, value: 'text', checked: true });
    const fileRadio = h('input', { type: 'radio', name: mode, value: 'file' });
    const text = h('textarea', { name: 'text', rows: 3 }, 'I agree to the terms and conditions.');
    const file = h('input', { type: 'file', name: 'file' });
    const textField = field('Text to sign', text);
    const fileField = field('File to sign', file, 'Its SHA hash is computed in this browser; the file itself goes nowhere.');
    fileField.hidden = true;
    const switchMode = () => {
      textField.hidden = !textRadio.checked;
      fileField.hidden = textRadio.checked;
    };
    textRadio.addEventListener('change', switchMode);
    fileRadio.addEventListener('change', switchMode);

    const algorithm = algorithmSelect(app, card!);
    const pin = pinInput(app);
    const out = output('sign');
    const submit = h('button', { type: 'submit' }, 'Sign');
    let last: SignatureResult | undefined;

    /** The bytes to sign and a description, from the text or the file. */
    const content = async (): Promise<{ data: Uint8Array; what: string; name: string }> => {
      if (textRadio.checked) {
        const data = new TextEncoder().encode(text.value);
        return { data, what: `the text (${data.length} bytes)`, name: 'text typed on the demo page' };
      }
      const f = file.files?.[0];
      if (!f) throw new Error('Choose a file to sign.');
      return { data: new Uint8Array(await f.arrayBuffer()), what: `the file "${f.name}" (${f.size} bytes)`, name: f.name.slice(0, 200) };
    };

    const recheck = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Check the signature against the current text or file');
    const recheckOut = output('recheck');
    recheck.addEventListener('click', () => {
      if (!last) return;
      const result = last;
      void run(app, recheck, recheckOut, async () => {
        const { data, what } = await content();
        return signatureReport(result, data, await digest(result.algorithm, data as BufferSource), what, {
          yes: 'Signature valid for this content',
          no: 'Signature NOT valid for this content',
        });
      });
    });

    const form = h(
      'form',
      {
        class: 'form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void run(app, submit, out, async () => {
            const alg: Algorithm | null = algorithm.value();
            if (!alg) return notice('warning', { state: 'algorithm', title: 'No algorithm', text: 'Wait for the algorithms to load, or use another card.' });
            const { data, what, name } = await content();
            const hash = await digest(alg, data as BufferSource);
            const result = await card!.sign({ algorithm: alg, hash, pin: pin.take(), allowLastTry: pin.allowLastTry(), documentName: name });
            last = result;
            recheck.disabled = false;
            recheckOut.replaceChildren();
            return signatureReport(result, data, hash, what, { yes: 'Signature valid', no: 'Signature NOT valid' });
          });
        },
      },
      h('fieldset', null, h('legend', null, 'What to sign'), h('label', { class: 'check' }, textRadio, ' A text'), h('label', { class: 'check' }, fileRadio, ' A file')),
      textField,
      fileField,
      algorithm.element,
      pin.element,
      h('p', null, submit),
    );
    return h('div', null, form, out, h('p', null, recheck), recheckOut);
  },
};
