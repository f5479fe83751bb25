/** Gateway configuration: environment variables (and an optional JSON/JSONC file) validated by zod. */
import { z } from "zod";
import { customHeadersFrom } from "./providers/custom_headers.ts";
import { parseConfigFile } from "./providers/parse_config_file.ts";
import { headersSchema, type ProviderConfig, providersSchema } from "./providers/provider_schema.ts";
import { csv, flag, positiveInt } from "./setting_types.ts";
import { webSettings } from "./web/web_settings.ts";
import { pageImageSettings } from "./documents/page_image_settings.ts";

/** Shortest GATEWAY_KEYS entry accepted at startup. */
export const MIN_GATEWAY_KEY_LENGTH = 16;
/** Far above any real request (Claude Code's deepest tool schema is ~10 levels) and far below a stall. */
export const DEFAULT_JSON_MAX_DEPTH = 128;
/** Real ids are under 64 characters; prefixes (`opencode-go/`) and suffixes (`[1m]`) add a few. */
export const DEFAULT_MODEL_NAME_MAX_LENGTH = 256;

/** Every setting, keyed by its environment variable name. Defaults live here and nowhere else. */
export const configSchema = z.object({
  PORT: z.coerce.number({ error: "expected a port number (0-65535)" }).int().min(0).max(65535).default(8787)
    .describe("Listen port."),
  LISTEN_HOST: z.string().min(1).optional().describe(
    "Listen address (default `127.0.0.1`; `0.0.0.0` serves the network: then set `GATEWAY_KEYS`). Wins over " +
      "`HOSTNAME`.",
  ),
  HOSTNAME: z.string().min(1).optional().describe(
    "Legacy listen address, used only when `LISTEN_HOST` is unset (with a warning): Docker and Kubernetes set " +
      "`HOSTNAME` to the container's name.",
  ),
  OPENCODE_GO_URL: z.url().default("https://opencode.ai/zen/go/v1").describe("OpenCode Go base URL."),
  OPENCODE_ZEN_URL: z.url().default("https://opencode.ai/zen/v1").describe("OpenCode Zen base URL."),
  OPENCODE_API_KEY: z.string().min(1).optional().describe(
    "Upstream key for every request (also sent on the live model lists). Unset: each client's own key goes upstream.",
  ),
  KV_PATH: z.string().min(1).optional().describe(
    "Deno KV file for the catalog cache. Unset: Deno's default location (leave it unset on Deno Deploy).",
  ),
  MODELS_DEV_URL: z.url().default("https://models.dev/api.json").describe(
    "Model metadata source (models.dev `api.json`).",
  ),
  CATALOG_TTL_SECONDS: positiveInt.default(3600).describe(
    "How long a catalog copy is fresh; after that it is served stale while one background refresh runs.",
  ),
  MODEL_OPUS: z.string().min(1).default("kimi-k2.6").describe(
    "Go model for Claude names that contain `opus` or `fable` (default and `/go` routes).",
  ),
  MODEL_SONNET: z.string().min(1).default("kimi-k2.6").describe(
    "Go model for every other Claude-looking name (`sonnet`, `claude-…`).",
  ),
  MODEL_HAIKU: z.string().min(1).default("deepseek-v4-flash").describe(
    "Go model for Claude names that contain `haiku` (Claude Code's background calls).",
  ),
  VISION_MODEL: z.string().min(1).optional().describe(
    "Where requests with images go when the chosen model takes no images. Unset: the first Go model that takes images and tool calls, among the `MODEL_*` targets, then Go's list.",
  ),
  PING_INTERVAL_MS: positiveInt.default(10_000).describe(
    "Keep-alive `ping` interval while the upstream is silent (Claude Code gives up after 300 s of silence).",
  ),
  GATEWAY_KEYS: csv.optional().describe(
    "Comma-separated keys clients must present (`x-api-key` or `Authorization: Bearer`); requires `OPENCODE_API_KEY`. Unset: an open gateway.",
  ),
  BODY_LIMIT_BYTES: positiveInt.default(32 * 1024 * 1024).describe(
    "Largest request body (32 MiB: images are big); a 413 before the rest is read.",
  ),
  CONNECT_TIMEOUT_MS: positiveInt.default(60_000).describe(
    "Wait for upstream response headers, then a 504 (a non-stream pass-through waits up to `TOTAL_TIMEOUT_MS`).",
  ),
  IDLE_TIMEOUT_MS: positiveInt.default(305_000).describe(
    "Silence allowed inside an upstream stream (above Claude Code's own 300 s), then a `timeout_error` event.",
  ),
  TOTAL_TIMEOUT_MS: positiveInt.default(3_600_000).describe(
    "Whole exchange: a 504 before the response headers, an error event after them.",
  ),
  RETRIES: z.coerce.number().int().min(0).max(10).default(2).describe(
    "Extra attempts per model (0-10) on connection failures, 5xx and 529, before the first byte only.",
  ),
  RETRY_AFTER_CAP_MS: positiveInt.default(30_000).describe(
    "Longest wait, from backoff or the upstream's `retry-after`; a longer `retry-after` goes to the client.",
  ),
  /** First backoff delay; doubled per attempt (capped by RETRY_AFTER_CAP_MS) and jittered. */
  RETRY_BASE_DELAY_MS: positiveInt.default(500).describe(
    "First backoff delay, doubled per attempt, with jitter.",
  ),
  /** `kimi-k2.6=glm-5.1|deepseek-v4-pro,glm-5.1=kimi-k2.6`: tried in order on retryable failures. */
  MODEL_FALLBACKS: z.string().default("").describe(
    "`kimi-k2.6=glm-5.1|deepseek-v4-pro,glm-5.1=kimi-k2.6`: models tried in order after retryable failures.",
  ),
  UPSTREAM_URL_OVERRIDE_HOSTS: csv.optional().describe(
    "Hosts (`host`, `host:port`, `*.domain`) a client may name in the `x-upstream-url` header. Unset: the header is ignored.",
  ),
  UPSTREAM_URL_ALLOW_PRIVATE: flag.default(false).describe(
    "`1` lets `x-upstream-url` reach loopback, private, link-local and CGNAT addresses.",
  ),
  UPSTREAM_EVENT_LIMIT_BYTES: positiveInt.max(256 * 1024 * 1024).default(16 * 1024 * 1024).describe(
    "Largest single SSE event (or line) held from an upstream (16 MiB, at most 256 MiB); a bigger one ends the answer with a 502, or an error event once streaming has started.",
  ),
  UPSTREAM_ANSWER_LIMIT_BYTES: positiveInt.default(32 * 1024 * 1024).describe(
    "Largest upstream answer collected in memory for a non-stream client (64 MiB); a bigger one is cut off with a 502.",
  ),
  BODY_READ_TIMEOUT_MS: positiveInt.default(60_000).describe(
    "Time a client has to send its whole request body, counted from its arrival; then a 408 with `connection: close`.",
  ),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info").describe(
    "Least severe log line written: `debug`, `info`, `warn`, `error` or `silent`.",
  ),
  LOG_BODIES: flag.default(false).describe(
    "`1` adds redacted, truncated request and response bodies to the log lines (for debugging).",
  ),
  JSON_MAX_DEPTH: positiveInt.default(DEFAULT_JSON_MAX_DEPTH).describe(
    "Deepest nesting of arrays and objects a request body may have; deeper is a 400 before any work (JSON " +
      "inside tool-call argument strings is held to the default, 128).",
  ),
  MODEL_NAME_MAX_LENGTH: positiveInt.default(DEFAULT_MODEL_NAME_MAX_LENGTH).describe(
    "Longest model name a client may send, in characters; longer (or with control characters) is a 400.",
  ),
  ZEN_FALLBACK: flag.default(true).describe(
    "On the default route, look a model up on OpenCode Zen when OpenCode Go does not serve it (`0` to turn " +
      "off; the `/zen` route and the `opencode/` prefix still reach Zen).",
  ),
  CONFIG_FILE: z.string().min(1).optional().describe(
    "JSON or JSONC file with any of these settings by name, plus a `providers` array (docs/providers.md); environment variables win over it.",
  ),
  /** Not a variable: CONFIG_FILE's `providers` array (lib/providers/, docs/providers.md). */
  providers: providersSchema.default([]).describe(
    "Not a variable: the CONFIG_FILE array of services beside OpenCode (name, baseUrl, format, apiKey, headers, discover, models, azure); see docs/providers.md.",
  ),
  /** Not a variable: gathered from every `CUSTOM_HEADER_<NAME>=value` setting. */
  customHeaders: headersSchema.default({}).describe(
    "Not a variable: gathered from `CUSTOM_HEADER_<NAME>=value` settings, extra headers for OpenCode Go and Zen (`_` in the name becomes `-`; auth headers are refused).",
  ),
  ...webSettings,
  ...pageImageSettings,
}).superRefine((config, context) => {
  // With GATEWAY_KEYS the clients' keys are the gateway's own, so the upstream key must come from the server.
  // Set but only separators (`GATEWAY_KEYS=" , "`): the operator meant to lock the gateway, so never run open.
  if (config.GATEWAY_KEYS !== undefined && config.GATEWAY_KEYS.length === 0) {
    context.addIssue({
      code: "custom",
      path: ["GATEWAY_KEYS"],
      message: "is set but lists no keys (comma-separated keys expected; leave it unset for an open gateway)",
    });
  }
  config.GATEWAY_KEYS?.forEach((key, index) => {
    if (key.length >= MIN_GATEWAY_KEY_LENGTH) return;
    context.addIssue({
      code: "custom",
      path: ["GATEWAY_KEYS"],
      // Never the key itself: this message goes to the log.
      message: `entry ${index + 1} is ${key.length} characters; gateway keys must be at least ` +
        `${MIN_GATEWAY_KEY_LENGTH} (a short key is guessable and cannot be told apart from text in logs). ` +
        `Generate one with: openssl rand -hex 24`,
    });
  });
  if (config.GATEWAY_KEYS?.length && !config.OPENCODE_API_KEY) {
    context.addIssue({
      code: "custom",
      path: ["OPENCODE_API_KEY"],
      message: "required when GATEWAY_KEYS is set (clients then present gateway keys, not OpenCode keys)",
    });
  }
  for (const entry of config.MODEL_FALLBACKS.split(",").filter((part) => part.trim() !== "")) {
    if (!/^\s*[^=|\s]+\s*=\s*[^=|\s]+\s*(\|\s*[^=|\s]+\s*)*$/.test(entry)) {
      context.addIssue({
        code: "custom",
        path: ["MODEL_FALLBACKS"],
        message: `"${entry.trim()}" is not model=fallback[|fallback…] (entries are separated by commas)`,
      });
    }
  }
});

export type Config = z.infer<typeof configSchema>;

/** Thrown at startup; the message names each bad variable so the operator can fix it in one go. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Build the config from a plain record of variables (env first, then the optional JSON file underneath).
 *
 * @example
 * ```ts
 * const config = parseConfig({ PORT: "9000" });
 * // config.PORT === 9000
 * ```
 */
export function parseConfig(
  variables: Record<string, string | undefined>,
  providers: ProviderConfig[] = [],
): Config {
  const result = configSchema.safeParse({
    ...dropEmpty(variables),
    providers,
    customHeaders: customHeadersFrom(variables),
  });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

/**
 * Read `CONFIG_FILE` (JSON object of the same variable names); env wins over the file, except that an empty
 * env variable (`GATEWAY_KEYS=` from a docker-compose or k8s template) counts as unset and leaves the file's
 * value in place: merging it first and dropping it after would silently unset the file's GATEWAY_KEYS.
 */
export async function loadConfig(env: Record<string, string | undefined>): Promise<Config> {
  const file = env.CONFIG_FILE;
  if (!file) return parseConfig(env);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  CONFIG_FILE: cannot read ${file}: ${(error as Error).message}`,
    );
  }
  // JSON or JSONC; `providers` is validated in there, with the line of each problem.
  const fromFile = parseConfigFile(text, env);
  if (!fromFile.ok) {
    throw new ConfigError(
      `Invalid configuration:\n${
        fromFile.errors.map((error) => `  CONFIG_FILE ${file} ${error}`).join("\n")
      }`,
    );
  }
  const record = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).safeParse(
    fromFile.contents.settings,
  );
  if (!record.success) {
    throw new ConfigError(
      `Invalid configuration:\n  CONFIG_FILE: ${file} must hold a JSON object of settings`,
    );
  }
  const merged: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(record.data)) merged[key] = String(value);
  return parseConfig({ ...merged, ...dropEmpty(env) }, fromFile.contents.providers);
}

function dropEmpty(variables: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out;
}
