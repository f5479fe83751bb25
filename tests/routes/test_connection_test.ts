/**
 * `GET /test-connection`: the doctor's checks as JSON from the running gateway, behind the gateway key when
 * GATEWAY_KEYS is set; the caller's own key is checked when the gateway passes keys through.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { remoteDoctorChecks } from "../../lib/cli/remote_doctor.ts";

const GOOD_KEY = "sk-testconn-good-key-01";
const SERVER_KEY = "sk-testconn-server-key-1";

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

function settingsFor(url: string, extra: Record<string, string> = {}) {
  return {
    OPENCODE_GO_URL: url,
    OPENCODE_ZEN_URL: url,
    MODELS_DEV_URL: `${url}/api.json`,
    MODEL_OPUS: "kimi-k2.6",
    MODEL_SONNET: "kimi-k2.6",
    MODEL_HAIKU: "minimax-m2.7",
    ...extra,
  };
}

Deno.test("GET /test-connection checks the caller's key when keys pass through", async () => {
  const fake = startFakeOpencodeService({ key: GOOD_KEY, chat: ["kimi-k2.6"], messages: ["minimax-m2.7"] });
  const kv = await Deno.openKv(":memory:");
  try {
    const gateway = testGateway(testConfig(settingsFor(fake.url)), { kv });
    const good = await gateway(
      new Request("http://gw/test-connection", { headers: { authorization: `Bearer ${GOOD_KEY}` } }),
    );
    assert.equal(good.status, 200);
    const report = await good.json() as Report;
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.deepEqual(report.checks.filter((check) => check.status === "fail"), []);
    assert.ok(
      report.checks.some((check) => check.name === "Deno KV (catalog cache)" && check.status === "ok"),
    );
    assert.ok(report.checks.some((check) => /anthropic \(\/messages\): minimax-m2\.7/.test(check.name)));
    assert.ok(
      report.checks.some((check) => /openai-chat \(\/chat\/completions\): kimi-k2\.6/.test(check.name)),
    );

    const bad = await gateway(
      new Request("http://gw/test-connection?model=kimi-k2.6", {
        headers: { "x-api-key": "sk-testconn-wrong-01" },
      }),
    );
    // A failing check is a 503, so an uptime monitor alerts on the status alone.
    assert.equal(bad.status, 503);
    assert.equal(bad.headers.get("cache-control"), "no-store");
    const badReport = await bad.json() as Report;
    assert.equal(badReport.ok, false);
    const keyCheck = badReport.checks.find((check) => check.name.startsWith("OpenCode Go: key"));
    assert.equal(keyCheck?.status, "fail");
    assert.match(keyCheck?.fix ?? "", /OpenCode did not accept the key/);
    assert.doesNotMatch(JSON.stringify(badReport), /sk-testconn-wrong-01/);

    const none = await gateway(new Request("http://gw/test-connection"));
    assert.equal(none.status, 503);
    const noneReport = await none.json() as Report;
    assert.equal(noneReport.checks[0].status, "fail");
    assert.match(noneReport.checks[0].fix ?? "", /https:\/\/opencode\.ai\/auth/);
  } finally {
    kv.close();
    await fake.close();
  }
});

Deno.test("GET /test-connection needs a gateway key when GATEWAY_KEYS is set, then checks the server's key", async () => {
  const fake = startFakeOpencodeService({ key: SERVER_KEY, chat: ["kimi-k2.6"], messages: ["minimax-m2.7"] });
  try {
    const gateway = testGateway(
      testConfig(settingsFor(fake.url, { OPENCODE_API_KEY: SERVER_KEY, GATEWAY_KEYS: "gwk-testconn-00001" })),
    );
    const anonymous = await gateway(new Request("http://gw/test-connection"));
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).error.type, "authentication_error");
    const wrong = await gateway(
      new Request("http://gw/test-connection", { headers: { "x-api-key": "gwk-nope" } }),
    );
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const allowed = await gateway(
      new Request("http://gw/test-connection", { headers: { "x-api-key": "gwk-testconn-00001" } }),
    );
    // No KV was given to this gateway, so one check fails: a 503 with the same report.
    assert.equal(allowed.status, 503);
    const report = await allowed.json() as Report;
    assert.equal(report.ok, false);
    assert.equal(report.checks[0].detail, "from the server's OPENCODE_API_KEY");
    const failed = report.checks.filter((check) => check.status === "fail").map((check) => check.name);
    // No KV was given to this gateway: that is the one failure, and it says so.
    assert.deepEqual(failed, ["Deno KV (catalog cache)"]);

    // The remote doctor reads the 503's checks instead of calling them unreadable.
    const served = serveGateway(gateway);
    try {
      const remote = await remoteDoctorChecks(fetch, `${served.url}/v1`, "gwk-testconn-00001", ["kimi-k2.6"]);
      assert.equal(remote[0].status, "ok", JSON.stringify(remote[0]));
      assert.ok(
        remote.some((check) => check.name === "gateway: Deno KV (catalog cache)" && check.status === "fail"),
      );
      assert.ok(remote.some((check) => /^gateway: .*kimi-k2\.6/.test(check.name) && check.status === "ok"));
    } finally {
      await served.close();
    }
    const post = await gateway(new Request("http://gw/test-connection", { method: "POST" }));
    assert.equal(post.status, 405);
    await post.body?.cancel();
  } finally {
    await fake.close();
  }
});
