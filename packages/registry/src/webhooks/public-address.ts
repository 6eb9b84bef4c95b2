import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address is an ordinary public unicast address a webhook may be sent to.
 * Everything else is refused: loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the
 * cloud metadata address, fe80::/10), unspecified, broadcast, multicast, carrier-grade NAT, reserved and
 * documentation ranges. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64, 6to4,
 * Teredo) are judged by the IPv4 address they carry; the deprecated IPv4-compatible ::a.b.c.d is refused.
 * A string that is not an IP address in the standard notation Node connects to is not public.
 *
 * @example isPublicAddress('93.184.216.34') // true
 * @example isPublicAddress('::ffff:127.0.0.1') // false
 */
export function isPublicAddress(address: string): boolean {
  const bare = stripBrackets(address);
  const family = isIP(bare);
  if (family === 0) return false; // ipaddr.js would also take forms like 127.1 that a socket never gets
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(family === 6 ? hexTail(bare) : bare);
  } catch {
    return false;
  }
  return parsed.kind() === 'ipv4' ? isPublicV4(parsed as ipaddr.IPv4) : isPublicV6(parsed as ipaddr.IPv6);
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Rewrites a trailing dotted quad of an IPv6 address as two hex groups: ipaddr.js reads ::a.b.c.d as
 * ::ffff:a.b.c.d, while a socket takes it as the IPv4-compatible ::a.b.c.d.
 */
function hexTail(v6: string): string {
  const match = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/.exec(v6);
  if (!match) return v6;
  const [a, b, c, d] = match.slice(2, 6).map(Number) as [number, number, number, number];
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}${match[6] ?? ''}`;
}

function isPublicV4(address: ipaddr.IPv4): boolean {
  // ipaddr.js names every special range (loopback, private, linkLocal, carrierGradeNat, reserved, ...);
  // only what falls in none of them is 'unicast'.
  return address.range() === 'unicast';
}

function isPublicV6(address: ipaddr.IPv6): boolean {
  const range = address.range();
  const parts = address.parts;
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return isPublicV4(v4From(parts[6]!, parts[7]!));
    case 'rfc6052':
      // Only the well-known NAT64 prefix 64:ff9b::/96 reaches the public IPv4 internet; 64:ff9b:1::/48 is local.
      return parts.slice(2, 6).every((p) => p === 0) && isPublicV4(v4From(parts[6]!, parts[7]!));
    case '6to4':
      return isPublicV4(v4From(parts[1]!, parts[2]!));
    case 'teredo':
      // Teredo carries the server address in clear and the client address with every bit flipped.
      return isPublicV4(v4From(parts[2]!, parts[3]!)) && isPublicV4(v4From(~parts[6]! & 0xffff, ~parts[7]! & 0xffff));
    case 'unicast':
      // ::/96 is the deprecated IPv4-compatible form: refuse it rather than guess how a stack routes it.
      return !parts.slice(0, 6).every((p) => p === 0);
    default:
      return false;
  }
}

function v4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
