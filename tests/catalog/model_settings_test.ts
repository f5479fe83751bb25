// MODEL_OPUS/SONNET/HAIKU and VISION_MODEL naming a model no service serves were accepted at startup and
// failed every request later. Now they are checked once the catalog is loaded: a loud structured warning, the
// same list for the status page (`configWarnings`), and a refusal to start on the bundled snapshot. And a
// failing catalog refresh is one structured warning (saying which catalog is in use) with backoff, not a
// plain-text line every minute.
import * as assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { checkModelSettings } from "../../lib/catalog/check_model_settings.ts";
import { configWarnings, modelSettingWarnings } from "../../lib/catalog/config_warnings.ts";
import type { CatalogLog } from "../../lib/catalog/refresh_health.ts";
import { parseConfig } from "../../lib/config.ts";
import { fakeModelsDev } from "../support/fake_models_dev.ts";

const offline: typeof fetch = () => Promise.reject(new TypeError("error sending request: dns error"));

/** A fetch serving the fake models.dev document (and failing every live model list), or nothing when down. */
function network(state: { down: boolean }): typeof fetch {
  return (input) => {
    if (state.down) return Promise.reject(new TypeError("error sending request: connection refused"));
    if (String(input).endsWith("/api.json")) return Promise.resolve(Response.json(fakeModelsDev()));
    const ids = String(input).startsWith("https://zen.test")
      ? ["gpt-5.5", "kimi-k2.6"]
      : ["kimi-k2.6", "minimax-m3", "brand-new-model"];
    return Promise.resolve(Response.json({ object: "list", data: ids.map((id) => ({ id })) }));
  };
}

function capture(): {
  log: CatalogLog;
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
}

const settings = {
  LOG_LEVEL: "silent",
  MODELS_DEV_URL: "https://models.test/api.json",
  OPENCODE_GO_URL: "https://go.test/v1",
  OPENCODE_ZEN_URL: "https://zen.test/v1",
};

Deno.test("modelSettingWarnings names each setting whose model no service serves, in the resolver's words", async () => {
  const config = parseConfig({
    ...settings,
    MODEL_OPUS: "kimi-k2.66",
    MODEL_HAIKU: "gpt-5.5",
    VISION_MODEL: "glm-5.1",
  });
  const catalog = createCatalog(config, { fetch: offline, log: () => {} });
  const warnings = await configWarnings(catalog, config);
  await catalog.settled();
  assert.deepEqual(warnings.map((warning) => [warning.setting, warning.value]), [
    ["MODEL_OPUS", "kimi-k2.66"],
    ["MODEL_HAIKU", "gpt-5.5"],
    ["VISION_MODEL", "glm-5.1"],
  ]);
  assert.match(
    warnings[0].problem,
    /Unknown model kimi-k2\.66: not served by OpenCode Go.*Close matches: kimi-k2\.6/,
  );
  // A bare name in MODEL_* means Go; the message says Zen has it and how to name it there.
  assert.match(warnings[1].problem, /OpenCode Zen serves gpt-5\.5/);
  assert.equal(warnings[2].problem, "the model does not accept images");
  assert.deepEqual(modelSettingWarnings(await catalog.data(), parseConfig(settings)), []);
});

Deno.test("checkModelSettings refuses to start when only the bundled snapshot is there and lacks the model", async () => {
  const config = parseConfig({ ...settings, MODEL_SONNET: "brand-new-model" });
  const catalog = createCatalog(config, { fetch: offline, log: () => {} });
  const refusal = await checkModelSettings(catalog, config, () => {});
  await catalog.settled();
  assert.match(
    refusal ?? "",
    /^Refusing to start: the model catalog could not be fetched \(the bundled snapshot/,
  );
  assert.match(refusal ?? "", /MODEL_SONNET=brand-new-model: Unknown model brand-new-model/);
});

Deno.test("checkModelSettings waits for the cold-start refresh before judging, then warns once, structured", async () => {
  // The snapshot lacks brand-new-model; models.dev has it: no refusal, no warning.
  const models = { MODEL_OPUS: "kimi-k2.6", MODEL_HAIKU: "kimi-k2.6" };
  const fine = parseConfig({ ...settings, ...models, MODEL_SONNET: "brand-new-model" });
  const fineCatalog = createCatalog(fine, { fetch: network({ down: false }), log: () => {} });
  const quiet = capture();
  assert.equal(await checkModelSettings(fineCatalog, fine, quiet.log), undefined);
  assert.deepEqual(
    quiet.lines.filter((line) => line.level === "warn" && line.message.includes("settings")),
    [],
  );
  await fineCatalog.settled();
  // models.dev answered and does not list the name: the gateway starts, with one loud warning.
  const wrong = parseConfig({ ...settings, ...models, MODEL_OPUS: "no-such-model" });
  const catalog = createCatalog(wrong, { fetch: network({ down: false }), log: () => {} });
  const loud = capture();
  assert.equal(await checkModelSettings(catalog, wrong, loud.log), undefined);
  await catalog.settled();
  assert.equal(loud.lines.length, 1);
  const [line] = loud.lines;
  assert.equal(line.level, "warn");
  assert.equal(line.fields?.event, "config_warning");
  assert.equal(line.fields?.catalog_source, "models.dev");
  assert.deepEqual((line.fields?.warnings as { setting: string }[]).map((warning) => warning.setting), [
    "MODEL_OPUS",
  ]);
});

Deno.test("a failing catalog refresh warns once per streak, structured, says what is in use, and backs off", async () => {
  const state = { down: true };
  const clock = { now: 1_800_000_000_000 };
  const { log, lines } = capture();
  const catalog = createCatalog(parseConfig(settings), { fetch: network(state), log, now: () => clock.now });
  const refreshes: number[] = [];
  // Ask every 10 s for an hour and a half; a refresh starts only when the backoff allows.
  for (let second = 0; second <= 5_400; second += 10) {
    clock.now = 1_800_000_000_000 + second * 1000;
    await catalog.data();
    if (catalog.refreshing) {
      refreshes.push(second);
      await catalog.settled();
    }
  }
  assert.deepEqual(refreshes, [0, 60, 180, 420, 900, 1860, 3780]);
  const warnings = lines.filter((line) => line.level === "warn");
  assert.equal(warnings.length, 1, JSON.stringify(lines));
  assert.equal(warnings[0].fields?.event, "catalog_refresh_failed");
  assert.equal(warnings[0].fields?.catalog_in_use, "bundled snapshot");
  assert.match(String(warnings[0].fields?.note), /further failures are logged at debug level/);
  assert.equal(lines.filter((line) => line.level === "debug").length, refreshes.length - 1);
  // Back online: recovered once; a later failure keeps the stale models.dev copy and says so.
  state.down = false;
  clock.now += 3_600_000;
  await catalog.data();
  await catalog.settled();
  assert.equal(lines.at(-1)?.fields?.event, "catalog_refresh_recovered");
  state.down = true;
  clock.now += 3_600_000;
  await catalog.data();
  await catalog.settled();
  assert.equal(lines.at(-1)?.level, "warn");
  assert.equal(lines.at(-1)?.fields?.catalog_in_use, "stale cache");
  assert.ok(lines.at(-1)?.fields?.catalog_fetched_at);
});
