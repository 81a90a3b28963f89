import type { RequestContext } from './context.js';
import type { UseCase } from './generated/resolvers.js';
import { errorCodeOf } from './card-errors.js';

const CARD_USE = new Set<UseCase>(['IDENTITY_READ', 'AUTHENTICATION', 'SIGNATURE', 'PIN_VERIFICATION', 'PIN_CHANGE']);

const recorded = new WeakMap<RequestContext, Set<UseCase>>();

/**
 * Record a billable use case for this request, with the caller's label and tag, before the
 * response goes out. One request that reads several identity files counts one IDENTITY_READ.
 */
export function recordUsage(ctx: RequestContext, useCase: UseCase, module: string, error?: unknown): void {
  let seen = recorded.get(ctx);
  if (!seen) {
    seen = new Set();
    recorded.set(ctx, seen);
  }
  if (seen.has(useCase)) return;
  seen.add(useCase);
  const result = error === undefined ? 'OK' : errorCodeOf(error);
  ctx.services.transactions.record({ useCase, module, result, label: ctx.label, tag: ctx.tag });
  if (ctx.origin !== null && CARD_USE.has(useCase)) ctx.services.consents.usedCard(ctx.origin, ctx.label);
}

/** Run `op` and record its use case whatever the outcome; rethrows failures. */
export async function withUsage<T>(ctx: RequestContext, useCase: UseCase, module: string, op: () => Promise<T>): Promise<T> {
  try {
    const v = await op();
    recordUsage(ctx, useCase, module);
    return v;
  } catch (e) {
    recordUsage(ctx, useCase, module, e);
    throw e;
  }
}
