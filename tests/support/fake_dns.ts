/**
 * A DNS resolver for tests (they never touch the internet): names map to the addresses given; any other name
 * resolves to one public documentation-free address, so an allowlisted test host passes the private check.
 */
import type { ResolveDns } from "../../lib/upstream/resolve_override.ts";

export const PUBLIC_TEST_ADDRESS = "93.184.215.14";

export function fakeDns(names: Record<string, string[]> = {}): ResolveDns & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (host: string, type: "A" | "AAAA") => {
    asked.push(`${host} ${type}`);
    const addresses = names[host] ?? [PUBLIC_TEST_ADDRESS];
    const wanted = addresses.filter((address) => address.includes(":") === (type === "AAAA"));
    if (wanted.length === 0) return Promise.reject(new Error(`no ${type} record for ${host}`));
    return Promise.resolve(wanted);
  };
  return Object.assign(resolve, { asked });
}
