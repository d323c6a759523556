/**
 * Which network destinations outbound requests (polled partner feeds, webhooks) may reach.
 * The production default refuses everything that is not public unicast: private, loopback,
 * link-local, CGNAT, multicast, broadcast, unspecified, reserved/documentation ranges, IPv6
 * unique-local, IPv4-mapped / NAT64 / 6to4 / Teredo forms (which can smuggle an internal IPv4),
 * and cloud metadata addresses. The check is applied to the address a connection is about to use
 * (see guarded-request.ts), not to the URL's host name, so DNS rebinding cannot get around it.
 * Range classification is ipaddr.js's (IANA special-purpose registries).
 */
import ipaddr from 'ipaddr.js';

export interface OutboundPolicy {
  /** OUTBOUND_ALLOW_PRIVATE: every non-public range is allowed (metadata addresses still are not). */
  readonly allowPrivate: boolean;
  /** OUTBOUND_ALLOWLIST CIDRs: allowed whatever their range, metadata included. */
  readonly cidrs: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  /** OUTBOUND_ALLOWLIST host names (lower case): trusted whatever they resolve to. */
  readonly hosts: ReadonlySet<string>;
}

/** Refuses every non-public destination: what production runs with unless configured otherwise. */
export const DENY_PRIVATE: OutboundPolicy = Object.freeze({ allowPrivate: false, cidrs: [], hosts: new Set<string>() });

/**
 * Instance metadata services. Most sit in link-local or CGNAT space already; Azure's wire server
 * is public unicast, so it has to be named. Refused even with OUTBOUND_ALLOW_PRIVATE.
 */
const METADATA = ['169.254.169.254/32', '169.254.170.2/32', '168.63.129.16/32', '100.100.100.200/32', '192.0.0.192/32', 'fd00:ec2::254/128'].map(
  (c) => ipaddr.parseCIDR(c),
);
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

export class OutboundPolicyError extends Error {}

/**
 * Builds a policy from configuration: `allowlist` entries are CIDRs (`127.0.0.0/8`, `::1/128`),
 * single addresses (`10.0.0.5`, `::1`) or host names (`feeds.partner.internal`).
 */
export function outboundPolicy(opts: { allowPrivate?: boolean; allowlist?: readonly string[] } = {}): OutboundPolicy {
  const cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const hosts = new Set<string>();
  for (const raw of opts.allowlist ?? []) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      try {
        cidrs.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new OutboundPolicyError(`"${raw}" is not a valid CIDR`);
      }
    } else if (ipaddr.isValid(entry.replace(/^\[|\]$/g, ''))) {
      const addr = ipaddr.parse(entry.replace(/^\[|\]$/g, ''));
      cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]{0,62}\.?)*$/.test(entry) && entry.length <= 253) {
      hosts.add(entry.replace(/\.$/, ''));
    } else {
      throw new OutboundPolicyError(`"${raw}" is neither a CIDR, an IP address nor a host name`);
    }
  }
  return Object.freeze({ allowPrivate: opts.allowPrivate ?? false, cidrs, hosts });
}

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

function matches(addr: ipaddr.IPv4 | ipaddr.IPv6, cidr: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  return addr.kind() === cidr[0].kind() && addr.match(cidr);
}

/**
 * The range of an address as this guard sees it: `unicast` is public, anything else is named by
 * its special-purpose range. IPv4-mapped IPv6 (`::ffff:10.0.0.1`, and the deprecated
 * IPv4-compatible `::10.0.0.1`) is classified as the IPv4 address it carries.
 */
export function addressRange(address: string): { range: string; addr: ipaddr.IPv4 | ipaddr.IPv6 } {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return { range: 'invalid', addr: ipaddr.parse('0.0.0.0') };
  let addr = ipaddr.parse(bare);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  return { range: addr.range(), addr };
}

/** Whether a connection to `address` (made for the URL host `host`) is allowed under `policy`. */
export function checkAddress(policy: OutboundPolicy, address: string, host?: string): AddressVerdict {
  if (host && policy.hosts.has(host.toLowerCase().replace(/\.$/, ''))) return { allowed: true };
  const { range, addr } = addressRange(address);
  if (range === 'invalid') return { allowed: false, reason: 'not an IP address' };
  if (policy.cidrs.some((c) => matches(addr, c))) return { allowed: true };
  if (METADATA.some((c) => matches(addr, c))) return { allowed: false, reason: 'cloud metadata address' };
  if (range === 'unicast') return { allowed: true };
  if (policy.allowPrivate) return { allowed: true };
  return { allowed: false, reason: `${range} address` };
}

/** Host names refused before any lookup: metadata aliases (unless allowlisted by name). */
export function checkHostName(policy: OutboundPolicy, host: string): AddressVerdict {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (policy.hosts.has(h)) return { allowed: true };
  if (METADATA_HOSTS.has(h)) return { allowed: false, reason: 'cloud metadata host name' };
  return { allowed: true };
}
