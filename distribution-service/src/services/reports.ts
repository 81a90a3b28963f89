import { DsError } from '../errors.js';
import type { InstallReportRow, ReportDimension, ReportRow } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

export const REPORT_DIMENSIONS: readonly ReportDimension[] = ['label', 'tag', 'useCase', 'module', 'result', 'month', 'day'];

/** A date (2025-11-01) or date-time as an ISO UTC bound; INVALID_ARGUMENT otherwise. */
export function parseBound(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}(-\d{2})?$/.test(value) ? (value.length === 7 ? `${value}-01` : value) + 'T00:00:00Z' : value);
  if (Number.isNaN(ms)) throw new DsError('INVALID_ARGUMENT', `${name} is not a date: ${value}`);
  return new Date(ms).toISOString();
}

/** Transaction-based billing: counts per chosen dimensions over [from, to). */
export async function transactionReport(
  ctx: ServiceContext,
  input: { org: string; from?: string | undefined; to?: string | undefined; by?: readonly string[] | undefined },
): Promise<ReportRow[]> {
  const org = await requireOrganisation(ctx, input.org);
  const by = input.by ?? ['label', 'useCase'];
  for (const d of by) {
    if (!REPORT_DIMENSIONS.includes(d as ReportDimension)) {
      throw new DsError('INVALID_ARGUMENT', `cannot group by ${d}; use ${REPORT_DIMENSIONS.join(', ')}`);
    }
  }
  const from = parseBound(input.from, 'from');
  const to = parseBound(input.to, 'to');
  return ctx.repo.transactionReport({ orgId: org.id, by: by as ReportDimension[], ...(from ? { from } : {}), ...(to ? { to } : {}) });
}

/** Install-based billing: distinct devices active (with at least one transaction) per label and month. */
export async function installReport(
  ctx: ServiceContext,
  input: { org?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<(InstallReportRow & { organisation: string })[]> {
  const org = input.org ? await requireOrganisation(ctx, input.org) : undefined;
  const from = parseBound(input.from, 'from');
  const to = parseBound(input.to, 'to');
  const rows = await ctx.repo.installReport({ ...(org ? { orgId: org.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const names = new Map((await ctx.repo.listOrganisations()).map((o) => [o.id, o.name]));
  return rows.map((r) => ({ ...r, organisation: names.get(r.orgId) ?? r.orgId }));
}
