/**
 * `deno task catalog:update [url]`: refreshes lib/catalog/snapshot.json from models.dev (default
 * https://models.dev/api.json), keeping only the `opencode-go` and `opencode` providers in api.json's own shape.
 * The snapshot is what the gateway routes with when the network sources fail.
 */
import { parseModelsDevProviders } from "../lib/catalog/models_dev.ts";
import current from "../lib/catalog/snapshot.json" with { type: "json" };

const defaultUrl = "https://models.dev/api.json";
const target = new URL("../lib/catalog/snapshot.json", import.meta.url);

type Providers = Record<string, { models: Record<string, unknown> }>;

/** Added and removed model ids per provider, for the summary line. */
export function describeChanges(before: Providers, after: Providers): string[] {
  return Object.keys(after).map((provider) => {
    const old = new Set(Object.keys(before[provider]?.models ?? {}));
    const now = new Set(Object.keys(after[provider].models));
    const added = [...now].filter((id) => !old.has(id));
    const removed = [...old].filter((id) => !now.has(id));
    return `${provider}: ${now.size} models` +
      (added.length ? `, added ${added.join(", ")}` : "") +
      (removed.length ? `, removed ${removed.join(", ")}` : "");
  });
}

if (import.meta.main) {
  const url = Deno.args[0] ?? defaultUrl;
  const response = await fetch(url, {
    headers: { accept: "application/json", "user-agent": "opencode-bridge" },
  });
  if (!response.ok) {
    console.error(`Cannot refresh the snapshot: ${url} answered HTTP ${response.status}`);
    Deno.exit(1);
  }
  const json = await response.json() as Record<string, unknown>;
  // Validates what the gateway reads; throws (and writes nothing) when a provider is missing.
  parseModelsDevProviders(json);
  const filtered = { "opencode-go": json["opencode-go"], opencode: json.opencode } as Providers;
  for (const [provider, value] of Object.entries(filtered)) {
    if (Object.keys(value.models).length === 0) {
      console.error(`Cannot refresh the snapshot: ${provider} lists no models`);
      Deno.exit(1);
    }
  }
  await Deno.writeTextFile(target, JSON.stringify(filtered, null, 2) + "\n");
  for (const line of describeChanges(current as unknown as Providers, filtered)) console.log(line);
  console.log(`Wrote ${target.pathname}`);
}
