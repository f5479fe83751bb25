/**
 * Which addresses the gateway's own fetcher may reach: the same table `x-upstream-url` uses
 * (lib/upstream/private_address.ts: loopback, private, link-local incl. cloud metadata, CGNAT, unique-local,
 * multicast, reserved, and every IPv6 form that carries an IPv4 address), plus the DNS lookup.
 */
import { isIpLiteral, privateAddressReason } from "../upstream/private_address.ts";

export function isPublicAddress(address: string): boolean {
  return isIpLiteral(address) && privateAddressReason(address) === undefined;
}

export function isLoopbackAddress(address: string): boolean {
  return isIpLiteral(address) && /loopback/.test(privateAddressReason(address) ?? "");
}

/** Every address `hostname` resolves to (A and AAAA); an IP literal is its own answer. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIpLiteral(host)) return [host];
  const lookups = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
  const addresses = lookups.flatMap((lookup) => lookup.status === "fulfilled" ? lookup.value : []);
  if (addresses.length === 0 && host === "localhost") return ["127.0.0.1"];
  return addresses;
}
