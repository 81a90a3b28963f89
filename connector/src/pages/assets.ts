// The pages' only stylesheet and script, served from the connector's own origin (CSP 'self').

export const PAGES_CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; }
body { margin: 0; background: #f3f5f8; color: #1b1f24; }
main { max-width: 34rem; margin: 0 auto; padding: 1rem 1.25rem; }
header .brand { margin: 0; font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: #4a5968; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem .9rem; background: #fff; padding: .8rem 1rem; border-radius: .4rem; border: 1px solid #d5dbe3; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: .8rem; overflow-wrap: anywhere; }
.given { color: #8a4b00; }
form { margin-top: 1rem; }
label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
label.check { font-weight: normal; }
input[type=password] { font-size: 1.3rem; letter-spacing: .3em; width: 12ch; padding: .3rem .5rem; }
.buttons { display: flex; gap: .6rem; margin-top: 1rem; }
button { font-size: 1rem; padding: .45rem 1.2rem; border-radius: .3rem; border: 1px solid #1f5fbf; background: #1f5fbf; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1f5fbf; }
.error { color: #a00; font-weight: 600; }
.notice { background: #fff; padding: .8rem 1rem; border-left: 4px solid #1f5fbf; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #d5dbe3; vertical-align: top; }
footer { margin-top: 1.5rem; font-size: .8rem; color: #4a5968; }
`;

export const PAGES_JS = `'use strict';
(function () {
  // An operation over: close the popup (allowed for windows a script opened).
  if (document.body.dataset.autoClose) setTimeout(function () { window.close(); }, 900);
  // Closing the window without answering cancels the operation at once.
  var form = document.querySelector('form[data-op]');
  if (!form) return;
  var answered = false;
  document.querySelectorAll('form').forEach(function (f) { f.addEventListener('submit', function () { answered = true; }); });
  window.addEventListener('pagehide', function () {
    if (answered || !navigator.sendBeacon) return;
    var body = new URLSearchParams({ op: form.dataset.op, csrf: form.querySelector('input[name=csrf]').value });
    navigator.sendBeacon(form.dataset.cancel, body);
  });
})();
`;
