import type { AuditRow } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

// Building audit lines lives apart (audit-entry.ts): every service writes them, and this reader needs organisations.
export * from './audit-entry.js';

/** Newest first. `org` narrows to one organisation; `before` pages back by sequence number. */
export async function listAudit(
  ctx: ServiceContext,
  input: { org?: string | undefined; before?: number | undefined; limit?: number | undefined },
): Promise<AuditRow[]> {
  const orgId = input.org ? (await requireOrganisation(ctx, input.org)).id : undefined;
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 1000);
  return ctx.repo.audit.listAudit({ limit, ...(orgId ? { orgId } : {}), ...(input.before !== undefined ? { beforeSeq: input.before } : {}) });
}
