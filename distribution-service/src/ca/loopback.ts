/** The only names a device certificate may cover: loopback, nothing routable. */
export const LOOPBACK_DNS = ['localhost'] as const;
export const LOOPBACK_IPS = ['127.0.0.1', '::1'] as const;
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set<string>([...LOOPBACK_DNS, ...LOOPBACK_IPS]);
