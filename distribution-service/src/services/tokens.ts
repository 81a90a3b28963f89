import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { InstallToken } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

export interface CreatedToken {
  /** Shown once; only its hash is stored. */
  token: string;
  id: string;
  orgId: string;
  expiresAt: string | null;
  maxUses: number | null;
}

/** 256 random bits make a fast hash sufficient: there is nothing to brute-force. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createInstallToken(
  ctx: ServiceContext,
  input: { org: string; maxUses?: number | undefined; expiresInDays?: number | undefined },
): Promise<CreatedToken> {
  const org = await requireOrganisation(ctx, input.org);
  if (input.maxUses !== undefined && (!Number.isInteger(input.maxUses) || input.maxUses < 1)) {
    throw new DsError('INVALID_ARGUMENT', 'uses is a positive integer');
  }
  if (input.expiresInDays !== undefined && !(input.expiresInDays > 0)) throw new DsError('INVALID_ARGUMENT', 'expiry is a positive number of days');
  const now = ctx.clock.now();
  const token = `dsit_${randomBytes(32).toString('base64url')}`;
  const row: InstallToken = {
    id: randomUUID(),
    orgId: org.id,
    tokenHash: hashToken(token),
    createdAt: isoAt(now),
    expiresAt: input.expiresInDays !== undefined ? isoAt(now + input.expiresInDays * 86_400_000) : null,
    maxUses: input.maxUses ?? null,
    uses: 0,
  };
  await ctx.repo.devices.createInstallToken(row);
  return { token, id: row.id, orgId: org.id, expiresAt: row.expiresAt, maxUses: row.maxUses };
}

/** The token's row if it exists and has not expired (uses are checked where one is consumed). */
export async function resolveInstallToken(ctx: ServiceContext, token: string): Promise<InstallToken> {
  const row = await ctx.repo.devices.findInstallTokenByHash(hashToken(token));
  if (!row) throw new DsError('INVALID_TOKEN', 'unknown install token');
  if (row.expiresAt !== null && Date.parse(row.expiresAt) <= ctx.clock.now()) throw new DsError('INVALID_TOKEN', 'install token expired');
  return row;
}
