import type { BeidCard } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { triesLeft } from '../errors.js';
import { h } from '../lib/dom.js';
import { notice } from '../errors.js';
import { output, pinInput, run, verdict, type Page } from '../ui.js';

export const pinPage: Page = {
  id: 'pin',
  title: 'PIN',
  intro: 'Check the card’s PIN. A wrong PIN costs a try; after three the card is blocked, so the connector never spends the last try unless you allow it.',
  needsCard: true,
  render(app: App, card: BeidCard | null) {
    const pin = pinInput(app);
    const out = output('pin');
    const triesOut = output('tries');
    const verify = h('button', { type: 'submit' }, 'Verify PIN');
    const form = h(
      'form',
      {
        class: 'form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          triesOut.replaceChildren();
          void run(app, verify, out, async () => {
            const status = await card!.verifyPin(pin.take(), { allowLastTry: pin.allowLastTry() });
            return h(
              'div',
              null,
              verdict(status.verified, 'PIN correct', 'PIN not verified'),
              status.retriesLeft !== null ? h('p', null, triesLeft(status.retriesLeft)) : null,
            );
          });
        },
      },
      pin.element,
      h('p', null, verify),
    );
    const check = h('button', { type: 'button', class: 'secondary', onclick: () => void tries() }, 'How many tries are left?');
    const tries = () =>
      run(app, check, triesOut, async () => {
        const n = await card!.pinTriesLeft();
        return n === null
          ? notice('info', { state: 'tries-unknown', title: 'This card cannot tell', text: 'Applet 1.7 cards only tell the tries left after a PIN is entered.' })
          : h('p', null, triesLeft(n));
      });
    // Changing the PIN happens only on the connector's page: this site never sees either PIN.
    const changeOut = output('change-pin');
    const change = h('button', { type: 'button', class: 'secondary', onclick: () => void changePin() }, 'Change the PIN');
    const changePin = () =>
      run(app, change, changeOut, async () => {
        const status = await card!.changePin();
        return verdict(status.verified, 'PIN changed', 'PIN not changed');
      });
    const changeSection = app.info?.pinEntry === 'HOST_PAGE' ? null : h('div', null, h('h3', null, 'Change the PIN'), h('p', null, change), changeOut);
    return h('div', null, form, out, changeSection, h('h3', null, 'Tries left'), h('p', null, 'Asked without spending a try (applet 1.8 cards).'), h('p', null, check), triesOut);
  },
};
