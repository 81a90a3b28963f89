import { LOOPBACK_URL_HOSTS } from '@cardlink/ds-protocol';

/**
 * Anti DNS-rebinding: the Host header must name what the certificate covers (localhost,
 * 127.0.0.1, [::1]) with the port we listen on. Case-insensitive; one trailing dot
 * ("localhost.") is the same name.
 */
export function createHostGuard(port: number, extraNames: readonly string[] = []): (host: string | undefined) => boolean {
  const names = [...LOOPBACK_URL_HOSTS, ...extraNames];
  const allowed = new Set<string>();
  for (const n of names) {
    allowed.add(`${n}:${port}`);
    if (port === 443) allowed.add(n);
  }
  const seen = new Map<string, boolean>();
  return (host) => {
    if (!host) return false;
    const cached = seen.get(host);
    if (cached !== undefined) return cached;
    const ok = check(host);
    if (seen.size < 64) seen.set(host, ok);
    return ok;
  };

  function check(host: string): boolean {
    if (host.length > 300) return false;
    let h = host.toLowerCase();
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
    if (!m) return false;
    let name = m[1]!;
    if (name.endsWith('.') && !name.startsWith('[')) name = name.slice(0, -1);
    h = m[2] === undefined ? name : `${name}:${m[2]}`;
    return allowed.has(h);
  }
}
