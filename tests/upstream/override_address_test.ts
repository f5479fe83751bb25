// The x-upstream-url override against the class of private-address tricks: every literal form URL parsing
// accepts (trailing dots, brackets, decimal/octal/hex IPv4, IPv4-mapped, -compatible, NAT64 and 6to4 IPv6),
// and host names whose DNS answers include a private address. A refusal is a 403, never a 500; a name that
// does not resolve is a 502; an http target is pinned to the address that was checked.
import * as assert from "node:assert/strict";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { privateAddressReason } from "../../lib/upstream/private_address.ts";
import { resolveUpstreamOverride } from "../../lib/upstream/resolve_override.ts";
import { fakeDns, PUBLIC_TEST_ADDRESS } from "../support/fake_dns.ts";

const settings = (hosts: string, allowPrivate = false) => ({
  UPSTREAM_URL_OVERRIDE_HOSTS: hosts.split(","),
  UPSTREAM_URL_ALLOW_PRIVATE: allowPrivate,
});

async function outcome(
  url: string,
  dns = fakeDns(),
  fetchFn: typeof fetch = fetch,
): Promise<number | string> {
  const host = new URL(url).host;
  try {
    const target = await resolveUpstreamOverride(new Headers({ "x-upstream-url": url }), settings(host), {
      fetch: fetchFn,
      resolveDns: dns,
    });
    target?.close();
    return target?.baseUrl ?? "ignored";
  } catch (error) {
    assert.ok(error instanceof GatewayError, `threw ${error}`);
    return error.status;
  }
}

Deno.test("x-upstream-url: every literal form of a private address is a 403", async (t) => {
  const refused = [
    "http://localhost./v1",
    "http://LOCALHOST../v1",
    "http://api.localhost./v1",
    "http://127.0.0.1./v1",
    "http://0177.0.0.1/v1",
    "http://0x7f000001/v1",
    "http://2130706433/v1",
    "http://127.1/v1",
    "http://0/v1",
    "http://[::]/v1",
    "http://[::1]/v1",
    "http://[0:0:0:0:0:0:0:1]/v1",
    "http://[::127.0.0.1]/v1",
    "http://[::7f00:1]/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "http://[::ffff:7f00:1]/v1",
    "http://[::ffff:169.254.169.254]/v1",
    "http://[64:ff9b::7f00:1]/v1",
    "http://[64:ff9b::10.0.0.1]/v1",
    "http://[64:ff9b:1::1]/v1",
    "http://[2002:7f00:1::1]/v1",
    "http://[2002:a9fe:a9fe::1]/v1",
    "http://[fe80::1]/v1",
    "http://[fd12:3456::1]/v1",
    "http://[fc00::1]/v1",
    "http://[fec0::1]/v1",
    "http://[ff02::1]/v1",
    "http://[2001::1]/v1",
    "http://169.254.169.254/latest",
    "http://100.64.0.1/v1",
    "http://100.127.255.255/v1",
    "http://10.0.0.1/v1",
    "http://172.16.0.1/v1",
    "http://172.31.255.255/v1",
    "http://192.168.0.1/v1",
    "http://198.18.0.1/v1",
    "http://224.0.0.1/v1",
    "http://255.255.255.255/v1",
  ];
  for (const url of refused) {
    await t.step(url, async () => assert.equal(await outcome(url), 403));
  }
});

Deno.test("x-upstream-url: public literals pass", async (t) => {
  const allowed: [string, string][] = [
    ["https://8.8.8.8/v1", "https://8.8.8.8/v1"],
    ["https://[2606:4700::1111]/v1", "https://[2606:4700::1111]/v1"],
    ["https://172.32.0.1/v1", "https://172.32.0.1/v1"],
    ["https://100.128.0.1/v1", "https://100.128.0.1/v1"],
    ["https://[64:ff9b::808:808]/v1", "https://[64:ff9b::808:808]/v1"],
  ];
  for (const [url, expected] of allowed) {
    await t.step(url, async () => assert.equal(await outcome(url), expected));
  }
});

Deno.test("x-upstream-url: a name is resolved, A and AAAA, and every address must be public", async (t) => {
  const cases: [string, Record<string, string[]>, number | string][] = [
    ["https://rebind.example/v1", { "rebind.example": ["127.0.0.1"] }, 403],
    ["https://mixed.example/v1", { "mixed.example": ["93.184.215.14", "10.1.2.3"] }, 403],
    ["https://six.example/v1", { "six.example": ["93.184.215.14", "::1"] }, 403],
    ["https://mapped.example/v1", { "mapped.example": ["::ffff:192.168.1.1"] }, 403],
    ["https://nat64.example/v1", { "nat64.example": ["64:ff9b::a9fe:a9fe"] }, 403],
    ["https://meta.example/v1", { "meta.example": ["169.254.169.254"] }, 403],
    ["https://trailing.example./v1", { "trailing.example": ["192.168.0.10"] }, 403],
    ["https://none.example/v1", { "none.example": [] }, 502],
    [
      "https://ok.example/v1",
      { "ok.example": [PUBLIC_TEST_ADDRESS, "2606:4700::1111"] },
      "https://ok.example/v1",
    ],
  ];
  for (const [url, names, expected] of cases) {
    await t.step(url, async () => {
      const dns = fakeDns(names);
      assert.equal(await outcome(url, dns), expected);
      const host = new URL(url).hostname.replace(/\.$/, "");
      assert.deepEqual(dns.asked.sort(), [`${host} A`, `${host} AAAA`]);
    });
  }
});

Deno.test("x-upstream-url: the refusal names the host, the address and the range", async () => {
  await assert.rejects(
    resolveUpstreamOverride(
      new Headers({ "x-upstream-url": "https://rebind.example/v1" }),
      settings("rebind.example"),
      {
        fetch,
        resolveDns: fakeDns({ "rebind.example": ["10.9.8.7"] }),
      },
    ),
    (error) =>
      error instanceof GatewayError && error.status === 403 &&
      error.message.includes("rebind.example resolves to 10.9.8.7, in the private range 10.0.0.0/8"),
  );
});

Deno.test("x-upstream-url: with UPSTREAM_URL_ALLOW_PRIVATE nothing is resolved", async () => {
  const dns = fakeDns({ "lan.example": ["10.0.0.1"] });
  const target = await resolveUpstreamOverride(
    new Headers({ "x-upstream-url": "http://lan.example/v1" }),
    settings("lan.example", true),
    { fetch, resolveDns: dns },
  );
  assert.equal(target?.baseUrl, "http://lan.example/v1");
  assert.deepEqual(dns.asked, []);
});

Deno.test("x-upstream-url: an http target is fetched through a client pinned to the checked address", async () => {
  const seen: (RequestInit & { client?: Deno.HttpClient })[] = [];
  const spy: typeof fetch = (_input, init) => {
    seen.push(init as RequestInit & { client?: Deno.HttpClient });
    return Promise.resolve(new Response("{}"));
  };
  const target = await resolveUpstreamOverride(
    new Headers({ "x-upstream-url": "http://pinned.example:8080/v1" }),
    settings("pinned.example:8080"),
    { fetch: spy, resolveDns: fakeDns({ "pinned.example": [PUBLIC_TEST_ADDRESS] }) },
  );
  assert.equal(target?.pinnedAddress, PUBLIC_TEST_ADDRESS);
  await target!.fetch("http://pinned.example:8080/v1/chat/completions", { method: "POST" });
  assert.ok(seen[0].client, "the fetch carries the pinned client");
  target!.close();
});

Deno.test("the pinning mechanism: a TCP-transport client reaches the given address whatever the URL's host", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => new Response(request.headers.get("host")),
  );
  const client = Deno.createHttpClient({
    proxy: { transport: "tcp", hostname: "127.0.0.1", port: server.addr.port },
  });
  try {
    const response = await fetch("http://name-that-does-not-resolve.invalid:8080/v1", { client });
    assert.equal(await response.text(), "name-that-does-not-resolve.invalid:8080");
  } finally {
    client.close();
    await server.shutdown();
  }
});

Deno.test("privateAddressReason covers DNS answer forms too", () => {
  assert.match(privateAddressReason("::ffff:10.0.0.1")!, /IPv4-mapped address of 10\.0\.0\.1/);
  assert.match(privateAddressReason("64:ff9b::7f00:1")!, /NAT64/);
  assert.equal(privateAddressReason("93.184.215.14"), undefined);
  assert.equal(privateAddressReason("2606:4700::1111"), undefined);
  assert.equal(privateAddressReason("not-an-address"), undefined);
});
