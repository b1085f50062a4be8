import { BlockList, isIP } from 'node:net';
import { HeraldError, invalid } from '../errors.ts';

/**
 * Decides which addresses outbound calls (webhooks, provider base URLs) may reach, so an
 * account config cannot turn Herald into a proxy into its own network or the cloud metadata service.
 */
export interface OutboundPolicy {
  /** 127.0.0.0/8 and ::1. Tests and single-host setups need it; production normally not. */
  allowLoopback: boolean;
  /** RFC 1918, CGNAT (100.64.0.0/10) and unique-local IPv6 (fc00::/7): private gateways and intranet servers. */
  allowPrivateNetworks: boolean;
}

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'unique-local'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

type Range = readonly [network: string, prefix: number];

// Checked in order: `metadata` before the CGNAT and link-local ranges that contain its addresses.
// IPv4 rules also match IPv4-mapped IPv6 (`::ffff:127.0.0.1`): net.BlockList maps them itself.
// NAT64 addresses (`64:ff9b::7f00:1`) are classified by the IPv4 address they embed.
const rangesByClass: ReadonlyArray<readonly [AddressClass, readonly Range[]]> = [
  // AWS/GCP/Azure/Tencent (169.254.0.0/16 hosts), Alibaba Cloud (inside CGNAT), AWS over IPv6.
  ['metadata', [['169.254.169.254', 32], ['100.100.100.200', 32], ['fd00:ec2::254', 128]]],
  ['unspecified', [['0.0.0.0', 8], ['::', 128]]],
  ['loopback', [['127.0.0.0', 8], ['::1', 128]]],
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]]],
  ['cgnat', [['100.64.0.0', 10]]],
  // fec0::/10 is the deprecated site-local range, private in practice.
  ['unique-local', [['fc00::', 7], ['fec0::', 10]]],
  ['link-local', [['169.254.0.0', 16], ['fe80::', 10]]],
  ['multicast', [['224.0.0.0', 4], ['ff00::', 8]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4], // includes 255.255.255.255
      ['::', 96], // IPv4-compatible IPv6 (deprecated)
      ['100::', 64], // discard-only
      ['2001:db8::', 32], // documentation
    ],
  ],
];

const blockListsByClass = rangesByClass.map(([addressClass, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix] of ranges) {
    if (isIP(network) === 6) {
      list.addSubnet(network, prefix, 'ipv6');
    } else {
      list.addSubnet(network, prefix, 'ipv4');
      list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
    }
  }
  return [addressClass, list] as const;
});

/** Classifies an IPv4 or IPv6 address (no brackets, no zone id). */
export function classifyIpAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) throw invalid('IP_ADDRESS_INVALID', `"${address}" is not an IPv4 or IPv6 address`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [addressClass, list] of blockListsByClass) {
    if (list.check(address, type)) return addressClass;
  }
  return 'public';
}

/**
 * The policy switch that opens a class. Classes without one are never a delivery target:
 * link-local (the cloud metadata service), unspecified (0.0.0.0 reaches this host), multicast, reserved.
 */
const switchOpening: Partial<Record<AddressClass, keyof OutboundPolicy>> = {
  loopback: 'allowLoopback',
  private: 'allowPrivateNetworks',
  cgnat: 'allowPrivateNetworks',
  'unique-local': 'allowPrivateNetworks',
};

export function isAddressClassAllowed(addressClass: AddressClass, policy: OutboundPolicy): boolean {
  const policySwitch = switchOpening[addressClass];
  return addressClass === 'public' || (policySwitch !== undefined && policy[policySwitch]);
}

/** Why an address is refused, or undefined when the policy allows it. */
export function describeBlockedAddress(address: string, policy: OutboundPolicy): string | undefined {
  const addressClass = classifyIpAddress(address);
  if (isAddressClassAllowed(addressClass, policy)) return undefined;
  const policySwitch = switchOpening[addressClass];
  return `${address} is in the ${addressClass} range${policySwitch ? ` (set ${policySwitch} to permit it)` : ''}`;
}

/** The error the outbound dispatcher raises when a connection would reach a blocked address. */
export function outboundAddressBlocked(hostname: string, reason: string): HeraldError {
  return new HeraldError(
    'forbidden',
    'OUTBOUND_ADDRESS_BLOCKED',
    `Refused to connect to ${hostname}: ${reason}`,
    { hostname },
  );
}

function urlNotAllowed(field: string, problem: string): HeraldError {
  return invalid('OUTBOUND_URL_NOT_ALLOWED', `${field}: ${problem}`, { field });
}

/**
 * Checks what can be checked without a policy: a parsable absolute http(s) URL without
 * credentials. Account validation uses this; the address policy is enforced when connecting.
 */
export function parseOutboundUrl(value: string, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not repeated: URLs carry tokens, and errors reach responses and logs.
    throw urlNotAllowed(field, 'not an absolute URL; expected http(s)://host/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw urlNotAllowed(field, `scheme "${url.protocol.slice(0, -1)}" is not allowed, use http or https`);
  }
  if (url.username !== '' || url.password !== '') {
    throw urlNotAllowed(field, 'credentials in the URL are not allowed, put them in the account config');
  }
  return url;
}

/**
 * `parseOutboundUrl` plus the address policy for hosts that are IP literals or `localhost`.
 * Host names are checked again after DNS resolution by the outbound dispatcher.
 */
export function assertOutboundUrlAllowed(value: string, policy: OutboundPolicy, field = 'url'): URL {
  const url = parseOutboundUrl(value, field);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // RFC 6761: localhost names always resolve to loopback, so refuse them before any lookup.
  const isLocalhostName = host === 'localhost' || host.endsWith('.localhost');
  if (isLocalhostName || isIP(host) !== 0) {
    const reason = describeBlockedAddress(isLocalhostName ? '127.0.0.1' : host, policy);
    if (reason) throw urlNotAllowed(field, `host ${host} is not allowed: ${isLocalhostName ? `${host} means ${reason}` : reason}`);
  }
  return url;
}
