import ipaddr from 'ipaddr.js';

/**
 * Which addresses a webhook may be delivered to. Only ordinary public unicast is allowed:
 * a subscription must not become a way to reach the server's own loopback, its private
 * network, a cloud metadata endpoint (169.254.169.254) or anything else not on the internet.
 * The rule is applied to the literal in a URL at creation and to every resolved address at
 * delivery (a host name can resolve somewhere else later: DNS rebinding).
 */

// Global unicast (RFC 4291, IANA): everything outside it is reserved, unassigned or local.
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * True only for an address ipaddr.js classifies as plain 'unicast'. Loopback, private,
 * link-local, unique-local, unspecified, multicast, broadcast, carrier-grade NAT, reserved
 * and documentation ranges are all refused, and so are IPv6 forms that carry an IPv4 address
 * (6to4, Teredo, NAT64, IPv4-compatible): they could smuggle a private one. An IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it maps. Anything that does not
 * parse is not public.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const address = ipaddr.parse(ip);
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const ipv6 = address as ipaddr.IPv6;
  if (ipv6.isIPv4MappedAddress()) return isPublicAddress(ipv6.toIPv4Address().toString());
  return ipv6.range() === 'unicast' && ipv6.match(IPV6_GLOBAL_UNICAST);
}

/**
 * The host of `url` when it is an IP literal (IPv6 without its brackets), else null. The
 * WHATWG URL parser has already turned every IPv4 spelling (`2130706433`, `0x7f.1`,
 * `127.0.0.1.`) into dotted decimal, so a host name that is not one is a name to resolve.
 */
export function literalAddressOf(url: URL): string | null {
  const host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) return host.slice(1, -1);
  return ipaddr.IPv4.isValidFourPartDecimal(host) ? host : null;
}

/** `localhost` and its subdomains (RFC 6761) always name the machine itself, whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
