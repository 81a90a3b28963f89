/** The only names a device certificate covers and the connector answers to: loopback, nothing routable. */
export const LOOPBACK_DNS_NAMES = ['localhost'] as const;
export const LOOPBACK_IPS = ['127.0.0.1', '::1'] as const;
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set<string>([...LOOPBACK_DNS_NAMES, ...LOOPBACK_IPS]);
/** The same names as WHATWG URL writes a hostname (IPv6 in brackets). */
export const LOOPBACK_URL_HOSTS: ReadonlySet<string> = new Set<string>([
  ...LOOPBACK_DNS_NAMES,
  ...LOOPBACK_IPS.map((ip) => (ip.includes(':') ? `[${ip}]` : ip)),
]);
