import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualCard, insertIntoVpcd, type BelpicCard, type CreateVirtualCardOptions, type VpcdInsertion } from '@cardlink/virtual-card';
import type { TestConnector } from './test-connector.js';

export const READER_NAMES = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;

export interface InsertedCard {
  card: BelpicCard;
  vpcd: VpcdInsertion;
  readerIndex: number;
}

/** A virtual eID card in vpcd reader `readerIndex`, reached by the connector through pcscd. */
export async function insertCard(readerIndex: number, opts: CreateVirtualCardOptions = {}): Promise<InsertedCard> {
  const card = await createVirtualCard({ dataDir: mkdtempSync(join(tmpdir(), 'cardlink-vcard-')), ...opts });
  const vpcd = await insertIntoVpcd(card, { readerIndex });
  return { card, vpcd, readerIndex };
}

/** Poll the connector until `readerIndex` shows a card (present = true) or none. */
export async function waitForCard(t: TestConnector, readerIndex: number, present = true, timeoutMs = 10_000): Promise<{ id: string; card: { atr: string; module: string } | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.query('{ readers { id name card { atr module } } }');
    const reader = r.json?.data?.readers?.find((x: { name: string }) => x.name === READER_NAMES[readerIndex]);
    if (reader && !!reader.card === present) return reader;
    if (Date.now() > deadline) throw new Error(`reader ${readerIndex} did not ${present ? 'show' : 'lose'} a card: ${r.text}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
