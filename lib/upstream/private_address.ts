/**
 * Which addresses an `x-upstream-url` may never reach: loopback, private, link-local, CGNAT, unique-local,
 * unspecified, multicast, reserved and documentation ranges, in IPv4 and in every IPv6 form that carries an
 * IPv4 address (mapped, compatible, NAT64, 6to4). Works on the forms WHATWG URL parsing and DNS produce:
 * URL parsing already turns `0x7f.1`, `017700000001` and `2130706433` into `127.0.0.1`, and
 * `[::127.0.0.1]` into `[::7f00:1]`.
 */

/** Why an address is refused, or undefined when it is public. */
export function privateAddressReason(address: string): string | undefined {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = parseIpv4(host);
  if (v4) return ipv4Reason(v4);
  const v6 = parseIpv6(host);
  if (v6) return ipv6Reason(v6);
  return undefined;
}

/** Host names that mean this machine whatever DNS says (`localhost`, `x.localhost`, with or without a dot). */
export function isLocalName(hostname: string): boolean {
  const host = stripDots(hostname.toLowerCase());
  return host === "localhost" || host.endsWith(".localhost") || host === "localhost.localdomain" ||
    host === "ip6-localhost" || host === "ip6-loopback";
}

/** `example.com.` → `example.com`: the root dot names the same host. */
export function stripDots(hostname: string): string {
  return hostname.replace(/\.+$/, "");
}

export function isIpLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;
}

export function parseIpv4(host: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
}

// [first octet, second-octet low, second-octet high (inclusive), why]; -1 = any second octet.
const v4Ranges: [number, number, number, string][] = [
  [0, -1, -1, "the unspecified/this-network range 0.0.0.0/8"],
  [10, -1, -1, "the private range 10.0.0.0/8"],
  [100, 64, 127, "the carrier-grade NAT range 100.64.0.0/10"],
  [127, -1, -1, "the loopback range 127.0.0.0/8"],
  [169, 254, 254, "the link-local range 169.254.0.0/16"],
  [172, 16, 31, "the private range 172.16.0.0/12"],
  [192, 168, 168, "the private range 192.168.0.0/16"],
  [198, 18, 19, "the benchmarking range 198.18.0.0/15"],
];

function ipv4Reason([a, b, c]: number[]): string | undefined {
  for (const [first, low, high, why] of v4Ranges) {
    if (a === first && (low === -1 || (b >= low && b <= high))) return why;
  }
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return "a reserved range in 192.0.0.0/24 or 192.0.2.0/24";
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) {
    return "a documentation range";
  }
  if (a >= 224) return "the multicast/reserved range 224.0.0.0/3";
  return undefined;
}

/** Eight 16-bit groups, or undefined for anything that is not an IPv6 literal (zone ids are refused). */
export function parseIpv6(host: string): number[] | undefined {
  if (!host.includes(":") || host.includes("%")) return undefined;
  let text = host;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]);
    if (!v4) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    text = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = new Array(8 - known).fill(0);
  return [...head.map(hex), ...zeros, ...rest.map(hex), ...tail];
}

const hex = (group: string) => parseInt(group, 16);

function embeddedIpv4(high: number, low: number): number[] {
  return [high >> 8, high & 255, low >> 8, low & 255];
}

function ipv6Reason(g: number[]): string | undefined {
  const zeroUpTo = (n: number) => g.slice(0, n).every((group) => group === 0);
  if (zeroUpTo(8)) return "the unspecified address ::";
  if (zeroUpTo(7) && g[7] === 1) return "the loopback address ::1";
  if (zeroUpTo(5) && g[5] === 0xffff) {
    return withV4("an IPv4-mapped address", embeddedIpv4(g[6], g[7]));
  }
  // ::a.b.c.d, deprecated; no public host is reached this way, so the whole range is refused.
  if (zeroUpTo(6)) return "the IPv4-compatible range ::/96";
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) {
    return withV4("a NAT64 address (64:ff9b::/96)", embeddedIpv4(g[6], g[7]));
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "the local-use NAT64 range 64:ff9b:1::/48";
  if (g[0] === 0x2002) return withV4("a 6to4 address (2002::/16)", embeddedIpv4(g[1], g[2]));
  if (g[0] === 0x2001 && g[1] === 0) return "the Teredo range 2001::/32";
  if (g[0] === 0x2001 && g[1] === 0xdb8) return "the documentation range 2001:db8::/32";
  if (g[0] === 0x100 && zeroUpTo(4)) return "the discard range 100::/64";
  if ((g[0] & 0xfe00) === 0xfc00) return "the unique-local range fc00::/7";
  if ((g[0] & 0xffc0) === 0xfe80) return "the link-local range fe80::/10";
  if ((g[0] & 0xffc0) === 0xfec0) return "the site-local range fec0::/10";
  if ((g[0] & 0xff00) === 0xff00) return "the multicast range ff00::/8";
  return undefined;
}

/** An IPv6 form carrying an IPv4 address is refused when that address would be. */
function withV4(form: string, v4: number[]): string | undefined {
  const reason = ipv4Reason(v4);
  return reason ? `${form} of ${v4.join(".")} (${reason})` : undefined;
}
