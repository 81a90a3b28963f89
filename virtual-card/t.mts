import { execFile } from 'node:child_process';
import { createVirtualCard, insertIntoVpcd } from '/work/main/virtual-card/src/index.ts';
const run = (c: string, a: string[]) => new Promise<string>((r) => { const t = Date.now(); execFile(c, a, (e, o, s) => { console.log(c, a.join(' ').slice(0, 40), Date.now() - t, 'ms', e ? 'ERR' : 'ok'); r(o); }); });
const card = await createVirtualCard({ profile: '1.7', dataDir: '/tmp/vc1', persistPin: false });
const ins = await insertIntoVpcd(card, {});
for (let i = 0; i < 10; i++) { const o = await run('opensc-tool', ['-l']); if (/^0\s+Yes/m.test(o)) break; await new Promise(r => setTimeout(r, 200)); }
await run('pkcs15-tool', ['-r', '0', '--read-certificate', '02']);
await ins.remove();
