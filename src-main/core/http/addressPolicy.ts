// Which network addresses Localpost may reach on its own, and which only with the user's yes.
//
// A link pasted into a draft makes the main process fetch that page: without a check, a page (or
// its redirect, or its og:image) could point Localpost at the router, a printer, a dev server on
// this machine or the cloud metadata service, none of which a browser's Private Network Access
// rules would let a web page reach. So everything fetched for the user goes only to PUBLIC
// addresses, and a server the user names (a Mastodon instance, a Bluesky PDS) on a non-public
// address is used only after the user confirms that they run it.
//
// The ranges are ipaddr.js's (its `range()` names the IANA special-purpose blocks of RFC 6890
// and its successors); what is public is decided here. Odd IPv4 spellings (`127.1`,
// `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`) never reach this module: the WHATWG URL parser
// normalises them to dotted quads, and every host checked here comes from a parsed URL.
import dns from 'node:dns';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** A DNS lookup that returns every address of a name (Node's `dns.lookup` with `all: true`). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver, as a browser would use it (hosts file, search domains). */
export const systemHostLookup: HostLookup = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

export interface AddressClass {
  public: boolean;
  /** ipaddr.js's range name, or one of ours (`cloudMetadata`, `ipv4Compatible`, `unallocated`). */
  range: string;
  /** Where the address is, for a sentence shown to the user: "this computer", "your own network". */
  where: string;
}

// The addresses cloud providers serve instance credentials on (AWS IMDS, also GCP and Azure on the
// IPv4 one). They are inside link-local and ULA ranges anyway; the name makes the refusal clearer.
const cloudMetadataAddresses = new Set(['169.254.169.254', 'fd00:ec2::254']);

const whereByRange: Record<string, string> = {
  loopback: 'this computer',
  private: 'your own network',
  uniqueLocal: 'your own network',
  linkLocal: 'your own network segment',
  carrierGradeNat: 'your provider’s internal network',
  cloudMetadata: 'the cloud metadata service',
  unspecified: 'no address at all',
  multicast: 'a multicast group',
  broadcast: 'the broadcast address',
};

/**
 * Classifies one IP address (v4 dotted quad or v6, with or without brackets). Only global unicast
 * is public: IPv4's `unicast` range, and IPv6 `unicast` inside 2000::/3 (RFC 4291 §2.4, the only
 * block IANA allocates). IPv6 forms that carry an IPv4 address (mapped, RFC 6145, 6to4 RFC 3056,
 * NAT64 RFC 6052) are as public as the address they carry; IPv4-compatible (deprecated, RFC 4291
 * §2.5.5.1) and Teredo tunnels are never public.
 */
export function classifyAddress(address: string): AddressClass {
  const text = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (!ipaddr.isValid(text)) throw new Error(`Not an IP address: ${address}`);
  const parsed = ipaddr.parse(text);
  const named = (range: string, isPublic = false): AddressClass => ({
    public: isPublic,
    range,
    where: whereByRange[range] ?? 'a reserved address range',
  });
  if (cloudMetadataAddresses.has(parsed.toNormalizedString()) || cloudMetadataAddresses.has(parsed.toString())) {
    return named('cloudMetadata');
  }
  if (parsed.kind() === 'ipv4') {
    const range = (parsed as ipaddr.IPv4).range();
    return named(range, range === 'unicast');
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const parts = v6.parts;
  if (range === 'ipv4Mapped' || range === 'rfc6145') return classifyAddress(v6.toIPv4Address().toString());
  if (range === 'rfc6052') return classifyAddress(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  if (range === '6to4') return classifyAddress(ipaddr.fromByteArray(v6.toByteArray().slice(2, 6)).toString());
  if (range === 'unicast' && parts.slice(0, 6).every((part) => part === 0)) return named('ipv4Compatible');
  if (range === 'unicast') return (parts[0]! & 0xe000) === 0x2000 ? named('unicast', true) : named('unallocated');
  return named(range);
}

/**
 * True only for this machine, spelled unambiguously: `localhost`, `::1`, and a dotted-quad
 * 127.0.0.0/8. A name such as `127.evil.example` is a DNS name that can resolve anywhere, so it is
 * not loopback; nor is `x.localhost`, which RFC 6761 §6.3 reserves but not every resolver keeps
 * local. This is the one test for "plain http is acceptable here" (RFC 8252 §7.3 and §8.3).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host).range() === 'loopback';
  return ipaddr.IPv6.isValid(host) && ipaddr.IPv6.parse(host).range() === 'loopback';
}

/** The addresses a URL's host stands for: an IP literal as it is, a name through DNS. */
export async function resolveHost(hostname: string, lookup: HostLookup): Promise<ResolvedAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (ipaddr.isValid(host)) return [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  // RFC 6761 §6.3: localhost is this machine whatever a resolver says.
  if (host === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  return lookup(host);
}

export interface NonPublicAddress {
  hostname: string;
  address: string;
  class: AddressClass;
}

/** The first address of `addresses` that is not public, or null when every one of them is. */
export function firstNonPublic(hostname: string, addresses: ResolvedAddress[]): NonPublicAddress | null {
  for (const { address } of addresses) {
    const found = classifyAddress(address);
    if (!found.public) return { hostname, address, class: found };
  }
  return null;
}

/** "mastodon.lan resolves to 192.168.1.20, an address on your own network." */
export function describeNonPublic({ hostname, address, class: found }: NonPublicAddress): string {
  const host = hostname.replace(/^\[|\]$/g, '');
  const where = found.range === 'unspecified' ? 'which is no address at all' : `an address on ${found.where}`;
  return host === address ? `${host} is ${where}` : `${host} resolves to ${address}, ${where}`;
}

/**
 * The policy as the core applies it: the production rules, plus the origins a caller exempted
 * (a test's own fixture server on 127.0.0.1). Only createCore's caller can exempt anything; the
 * app passes no exemptions.
 */
export interface AddressPolicy {
  lookup: HostLookup;
  /**
   * Resolves the URL's host and returns its addresses, and the first that is not public (null
   * when all are public, or when the URL's origin is exempt).
   */
  check(url: URL): Promise<{ addresses: ResolvedAddress[]; nonPublic: NonPublicAddress | null }>;
}

export function createAddressPolicy(options: { lookup?: HostLookup; allowPrivateAddressesFor?: readonly string[] } = {}): AddressPolicy {
  const lookup = options.lookup ?? systemHostLookup;
  const exempt = new Set((options.allowPrivateAddressesFor ?? []).map((origin) => new URL(origin).origin));
  return {
    lookup,
    async check(url) {
      const addresses = await resolveHost(url.hostname, lookup);
      return { addresses, nonPublic: exempt.has(url.origin) ? null : firstNonPublic(url.hostname, addresses) };
    },
  };
}

/**
 * A server the user named (a Mastodon instance, a Bluesky hosting provider) on a non-public
 * address is used only once the user has said it is theirs: self-hosters exist, but a typo, a
 * pasted instruction or a name that now points into the LAN should not silently send a password or
 * tokens there. Throws `address_private` until `confirmed`. A name that does not resolve passes:
 * the connect itself then fails with its own clear error.
 */
export async function confirmServerAddress(policy: AddressPolicy, server: URL, confirmed: boolean): Promise<void> {
  if (confirmed) return;
  const checked = await policy.check(server).catch(() => null);
  if (!checked?.nonPublic) return;
  throw new AppError('address_private', `${describeNonPublic(checked.nonPublic)}. Connect only if you run this server yourself.`, {
    action: 'Choose Connect anyway if this is your own server; otherwise check the address.',
  });
}
