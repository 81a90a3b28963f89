import type { ReaderSource } from '../card/reader-types.js';
import type { OriginPolicy } from '../origins/origin-policy.js';
import type { ConsentStore } from './consent-store.js';
import type { PendingOperations } from './pending-operations.js';
import { operationPage } from './operation-page.js';
import { settingsPage } from './settings-page.js';
import { sendAsset } from './page-headers.js';
import { PAGES_CSS, PAGES_JS } from './assets.js';

// The type the HTTP layer mounts pages with (the pages sit above it and read bodies through it).
import type { PageRoute } from '../http/plugins/use-connector-pages.js';
export type { PageRoute };

export interface PagesDeps {
  operations: PendingOperations;
  consents: ConsentStore;
  origins: OriginPolicy;
  readers: ReaderSource;
  triesLeft(readerId: string): Promise<number | null>;
}

/**
 * The connector's own pages, by path. They are top-level navigations of the user, so the
 * Origin guard does not apply to them (the Host guard and TLS do); every form post checks
 * that it comes from the connector's own origin and carries its CSRF secret.
 */
export function pageRoutes(d: PagesDeps): Record<string, PageRoute> {
  const op = operationPage(d);
  const settings = settingsPage(d);
  return {
    '/pin': op.show,
    '/consent': op.show,
    '/pin/submit': op.submit,
    '/pin/cancel': op.cancel,
    '/consent/answer': op.answer,
    '/settings': settings.show,
    '/settings/forget': settings.forget,
    '/pages/pages.css': (_q, res) => sendAsset(res, 'text/css', PAGES_CSS),
    '/pages/pages.js': (_q, res) => sendAsset(res, 'text/javascript', PAGES_JS),
  };
}
