// The page a web developer writes with the packed SDK: identity, then a signature with an
// algorithm the card offers, shown in #out (data-state: done or failed).
export const SDK_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>My app</title></head>
<body><h1>My app</h1><pre id="out" data-state="working">Reading…</pre>
<script type="module" src="/src/main.ts"></script></body></html>`;

export const SDK_PAGE_MAIN = `import { createConnector, isConnectorError, type Algorithm } from '@cardlink/web-sdk';

const out = document.getElementById('out')!;
const url = new URLSearchParams(location.search).get('connector') ?? undefined;
const connector = createConnector({ url, tag: 'my-app' });
const lines: string[] = [];
const show = (state: 'working' | 'done' | 'failed') => {
  out.textContent = lines.join('\\n');
  out.dataset.state = state;
};

try {
  const reader = (await connector.readers()).find((r) => r.card?.module === 'BEID');
  if (!reader) throw new Error('Insert a Belgian eID card.');
  const card = connector.beid(reader.id);
  const { identity } = await card.read({ identity: true });
  lines.push(\`identity: \${identity.firstNames} \${identity.surname}\`);
  show('working');
  // The card says what it can do: RSA on applet 1.7, ECDSA on 1.8.
  const algorithms: Algorithm[] = await card.algorithms();
  const algorithm = algorithms.find((a) => a.endsWith('SHA256'))!;
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('I agree.'));
  const { signature, certificate } = await card.sign({ algorithm, hash, pin: '1234' });
  lines.push(\`signature: \${algorithm}, \${atob(signature).length} bytes, certificate \${certificate.startsWith('-----BEGIN CERTIFICATE-----') ? 'PEM' : '?'}\`);
  show('done');
} catch (e) {
  lines.push(isConnectorError(e) ? \`error: \${e.code}: \${e.message}\` : \`error: \${String(e)}\`);
  show('failed');
}
`;
