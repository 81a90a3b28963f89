// Instrumentation of a host page: every string its JavaScript could get hold of (fetch and
// XMLHttpRequest bodies and answers, postMessage, key and input events, storage), so a test can
// assert that a PIN typed on the connector's page never reaches it.
import type { Page } from 'playwright-core';

/** Runs in the page (Playwright's addInitScript): keeps what it sees in window.__seen. */
export function instrument(): void {
  const seen: string[] = [];
  (window as unknown as { __seen: string[] }).__seen = seen;
  const note = (...v: unknown[]) => {
    for (const x of v) {
      try {
        seen.push(typeof x === 'string' ? x : JSON.stringify(x) ?? String(x));
      } catch {
        seen.push(String(x));
      }
    }
  };
  const realFetch = window.fetch;
  window.fetch = async (input, init) => {
    note(String(input instanceof Request ? input.url : input), init?.body ?? '');
    const res = await realFetch(input, init);
    res.clone().text().then((b) => note(b), () => {});
    return res;
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...a: unknown[]) {
    note(...a);
    this.addEventListener('load', () => note(this.responseText));
    return (open as (...x: unknown[]) => void).apply(this, a);
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
    note(body);
    return send.call(this, body);
  };
  const post = window.postMessage.bind(window);
  window.postMessage = ((m: unknown, ...rest: unknown[]) => {
    note(m);
    return (post as (...x: unknown[]) => void)(m, ...rest);
  }) as typeof window.postMessage;
  for (const type of ['message', 'keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'change', 'paste', 'storage', 'focus', 'blur']) {
    window.addEventListener(type, (e) => {
      const ev = e as Event & { data?: unknown; key?: string; target: { value?: unknown } | null };
      note(type, ev.data ?? '', ev.key ?? '', ev.target?.value ?? '');
    }, true);
  }
}


/** Everything the instrumented host page saw, its DOM and its storage, as one string. */
export const seenByHost = (p: Page) => p.evaluate(() => (window as unknown as { __seen: string[] }).__seen.join('\n') + document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
