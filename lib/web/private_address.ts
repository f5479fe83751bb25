/**
 * Is an address one the gateway's own fetcher must never reach? Loopback, private (RFC 1918, fc00::/7),
 * CGNAT, link-local (cloud metadata at 169.254.169.254), multicast, reserved, unspecified: everything that
 * ipaddr.js does not classify as public unicast, with IPv4-mapped IPv6 unwrapped first.
 * TODO(lead): branch harden-net writes the same check for x-upstream-url in lib/upstream/; fold the two.
 */
import ipaddr from "ipaddr.js";

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

export function isLoopbackAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === "loopback";
}

/** Every address `hostname` resolves to (A and AAAA); an IP literal is its own answer. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.isValid(host)) return [host];
  const lookups = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
  const addresses = lookups.flatMap((lookup) => lookup.status === "fulfilled" ? lookup.value : []);
  if (addresses.length === 0 && host === "localhost") return ["127.0.0.1"];
  return addresses;
}
