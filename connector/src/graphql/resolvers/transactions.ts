import type { QueryResolvers } from '../generated/resolvers.js';
import { ConnectorError } from '../../errors.js';

function isoOrThrow(name: string, v: string | null | undefined, fallback: string): string {
  if (v == null) return fallback;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new ConnectorError('INVALID_INPUT', `${name} is not an ISO-8601 date-time`);
  return d.toISOString();
}

/** Usage of the calling application only: a page never sees another label's counts. */
export const transactionsQuery: QueryResolvers['transactions'] = (_p, args, { services, label }) => {
  const from = isoOrThrow('from', args.from, '0000-01-01T00:00:00.000Z');
  const to = isoOrThrow('to', args.to, '9999-12-31T23:59:59.999Z');
  const counts = services.transactions.summary(label, from, to);
  return { label, total: counts.reduce((n, c) => n + c.count, 0), counts };
};
