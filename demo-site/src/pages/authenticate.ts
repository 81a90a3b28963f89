import type { BeidCard } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { notice } from '../errors.js';
import { h, hex } from '../lib/dom.js';
import { digest } from '../lib/verify.js';
import { algorithmSelect, output, pinInput, run, type Page } from '../ui.js';
import { signatureReport } from './sign.js';

const newChallenge = () => crypto.getRandomValues(new Uint8Array(32));

export const authenticatePage: Page = {
  id: 'authenticate',
  title: 'Authenticate',
  intro: 'Prove who you are: the card signs a random challenge with its authentication key, and this page checks the answer against the authentication certificate.',
  needsCard: true,
  render(app: App, card: BeidCard | null) {
    let challenge = newChallenge();
    const shown = h('code', { class: 'wrap', 'data-testid': 'challenge' }, hex(challenge));
    const renew = h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => {
        challenge = newChallenge();
        shown.textContent = hex(challenge);
      },
    }, 'New challenge');
    const algorithm = algorithmSelect(app, card!);
    const pin = pinInput(app, { required: false, help: 'Asked every time, unless this application lets a PIN verified in this tab be reused for a few minutes.' });
    const out = output('authenticate');
    const submit = h('button', { type: 'submit' }, 'Authenticate');
    const form = h(
      'form',
      {
        class: 'form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void run(app, submit, out, async () => {
            const alg = algorithm.value();
            if (!alg) return notice('warning', { state: 'algorithm', title: 'No algorithm', text: 'Wait for the algorithms to load, or use another card.' });
            const data = challenge;
            const hash = await digest(alg, data as BufferSource);
            const typed = pin.take();
            const result = await card!.authenticate({ algorithm: alg, hash, pin: typed || undefined, allowLastTry: pin.allowLastTry() });
            return signatureReport(result, data, hash, 'the challenge (32 random bytes)', { yes: 'Authentication valid', no: 'Authentication NOT valid' });
          });
        },
      },
      h('div', { class: 'field' }, h('span', { class: 'label' }, 'Challenge'), shown, h('p', null, renew)),
      algorithm.element,
      pin.element,
      h('p', null, submit),
    );
    return h('div', null, form, out);
  },
};
