import type { MutationResolvers } from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import type { OperationSpec } from '../../pages/pending-operations.js';
import { ConnectorError } from '../../errors.js';
import { withUsage } from '../usage.js';

const LOCAL_ORIGIN = '(local client)';

/**
 * An application whose PIN is entered on the connector page may not send a PIN (nor spend the
 * last try) from its own page. Local token clients have no host page: the rule does not apply.
 */
export function refusePagePin(ctx: RequestContext, hasPin: boolean, allowLastTry: boolean): void {
  if (ctx.origin === null || (!hasPin && !allowLastTry)) return;
  if (ctx.services.appSettings(ctx.label).pinEntry === 'CONNECTOR_PAGE') {
    throw new ConnectorError(
      'PIN_ENTRY_ON_CONNECTOR_PAGE',
      "This application's PIN is entered on the connector's own page: send no PIN, call from a click with an operation id (the SDK does it).",
    );
  }
}

/** Run a card operation on the connector page `operation`: the user types the PIN there. */
export function onConnectorPage<T>(ctx: RequestContext, operation: string, spec: Omit<OperationSpec<T>, 'label' | 'origin'>): Promise<T> {
  return ctx.services.operations.run(operation, { ...spec, label: ctx.label, origin: ctx.origin ?? LOCAL_ORIGIN }, ctx.abortSignal());
}

/** Identity reads need the user's consent when the application's setting asks for it. */
export function requireConsent(ctx: RequestContext): void {
  if (ctx.origin === null) return;
  const { consent } = ctx.services.appSettings(ctx.label);
  if (!ctx.services.consents.allowed(ctx.origin, consent)) {
    throw new ConnectorError('CONSENT_REQUIRED', 'The user has not allowed this application to read the eID card: call requestConsent from a click.');
  }
}

export function consentRequired(ctx: RequestContext): boolean {
  return ctx.origin !== null && !ctx.services.consents.allowed(ctx.origin, ctx.services.appSettings(ctx.label).consent);
}

/** A page-given document name, shown on the connector page: bounded, no control characters. */
export function documentNameOf(name: string | null | undefined): string | undefined {
  if (name == null) return undefined;
  const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
  if (clean.length === 0 || clean.length > 200) throw new ConnectorError('INVALID_INPUT', 'documentName must be 1 to 200 characters.');
  return clean;
}

export const requestConsentMutation: MutationResolvers['requestConsent'] = (_p, { operation }, ctx) =>
  withUsage(ctx, 'CONSENT', 'connector', async () => {
    const { origin } = ctx;
    const { consent } = ctx.services.appSettings(ctx.label);
    if (origin === null || consent === 'OFF' || ctx.services.consents.allowed(origin, consent)) return { granted: true };
    const granted = await onConnectorPage(ctx, operation, { kind: 'consent', answer: (yes: boolean) => yes });
    if (!granted) throw new ConnectorError('CONSENT_REFUSED', 'The user refused to let this application read the eID card.');
    ctx.services.consents.grant(origin, ctx.label, consent);
    return { granted: true };
  });
