/** The only names the connector's certificates ever cover: loopback, nothing routable. */
export const LOOPBACK_DNS_NAMES = ['localhost'] as const;
export const LOOPBACK_IPS = ['127.0.0.1', '::1'] as const;
