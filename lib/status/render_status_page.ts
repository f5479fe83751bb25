/**
 * The status page: one server-rendered HTML document, no script, refreshing itself with a meta refresh.
 * Every value from outside (model ids, URLs, error classes, problems) goes through `escapeHtml`.
 */
import type { ModelRow, StatusSnapshot } from "./status_snapshot.ts";
import type { UsageWindow } from "./go_usage.ts";
import { escapeHtml as esc, PAGE_STYLE } from "./page_style.ts";

export const REFRESH_SECONDS = 15;

export interface PageOptions {
  /** Show the sign-out button (the viewer came in through the login cookie). */
  signedIn?: boolean;
}

export function renderStatusPage(status: StatusSnapshot, options: PageOptions = {}): string {
  const used = status.models.filter((row) => row.counters);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>opencode-bridge status</title>
<style>${PAGE_STYLE}</style></head>
<body><main>
<header><h1>opencode-bridge <small>${esc(status.version)}</small></h1>
${
    options.signedIn
      ? `<form method="post" action="/logout"><button type="submit">Sign out</button></form>`
      : ""
  }
</header>
<p class="summary">Up ${esc(duration(status.uptimeSeconds))} (since ${esc(time(status.startedAt))}) ·
${plural(status.totals.requests, "request")} · ${plural(status.totals.errors, "error")} ·
${plural(status.totals.activeStreams, "active stream")}</p>
<p class="note">Counters cover this process since it started (on Deno Deploy: this isolate). The page refreshes
every ${REFRESH_SECONDS} s; <a href="/status.json">status.json</a> · <a href="/metrics">metrics</a>.</p>
${servicesSection(status)}
${usageSection(status)}
<section><h2>Models</h2>
<p class="note">${used.length} of ${status.models.length} models used since start. Prices are dollars per million
tokens (input / output / cache read).</p>
${modelTable(status.models)}
</section>
${recentSection(status)}
</main></body></html>
`;
}

function servicesSection(status: StatusSnapshot): string {
  const rows = status.services.map((service) =>
    `<tr><td>${service.service === "go" ? "OpenCode Go" : "OpenCode Zen"}</td><td><code>${
      esc(service.url)
    }</code></td>
<td>${service.reachable ? `<span class="ok">reachable</span>` : `<span class="bad">unreachable</span>`}${
      service.problem ? ` <span class="dim">(${esc(service.problem)})</span>` : ""
    }</td><td class="num">${ms(service.latencyMs)}</td>
<td class="dim">${esc(time(service.checkedAt))}</td></tr>`
  ).join("\n");
  const catalog = status.catalog
    ? `Catalog: ${esc(status.catalog.source)}, fetched ${esc(duration(status.catalog.ageSeconds))} ago${
      status.catalog.live.go || status.catalog.live.zen
        ? ` (live lists: ${
          [status.catalog.live.go && "Go", status.catalog.live.zen && "Zen"].filter(Boolean).join(", ")
        })`
        : " (no live model list)"
    }.`
    : "Catalog: not loaded yet.";
  if (rows === "") {
    return `<section><h2>Services</h2><p class="note">Checking the services…</p><p class="note">${catalog}</p></section>`;
  }
  return `<section><h2>Services</h2>
<table><thead><tr><th>Service</th><th>URL</th><th>State</th><th class="num">Latency</th><th>Checked</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="note">${catalog}</p></section>`;
}

const windowNames: Record<UsageWindow["name"], string> = {
  rolling: "Rolling 5 hours",
  weekly: "Weekly",
  monthly: "Monthly",
};

function usageSection(status: StatusSnapshot): string {
  const usage = status.usage;
  if (!usage) return "";
  if (!usage.windows) {
    return `<section><h2>Go usage</h2><p class="bad">Unavailable: ${
      esc(usage.problem ?? "unknown")
    }.</p></section>`;
  }
  const bars = usage.windows.map((window) => {
    const percent = Math.min(100, Math.max(0, window.percent ?? 0));
    const limited = window.status === "rate-limited";
    return `<div class="meter"><span class="label">${windowNames[window.name]}</span>
<span class="bar${limited || percent >= 90 ? " full" : ""}"><span style="width:${percent}%"></span></span>
<span class="num">${window.percent === undefined ? "–" : `${esc(String(window.percent))} %`}</span>
<span class="dim">${limited ? `<b class="bad">limit reached</b> · ` : ""}resets ${
      window.resetsAt ? esc(time(window.resetsAt)) : "–"
    }</span></div>`;
  }).join("\n");
  return `<section><h2>Go usage</h2>${bars}
<p class="note">From OpenCode's <code>/usage</code>, checked ${esc(time(usage.checkedAt))}.</p></section>`;
}

function modelTable(models: ModelRow[]): string {
  const rows = models.map((row) => {
    const c = row.counters;
    const errors = c
      ? Object.entries(c.errors).map(([type, n]) => `${esc(type)}: ${n}`).join("<br>") || "0"
      : "";
    return `<tr${c ? ` class="used"` : ""}><td><code>${esc(row.id)}</code>${
      row.inCatalog ? "" : ` <span class="dim">(not in catalog)</span>`
    }</td><td>${esc(row.service)}</td><td class="nowrap">${esc(row.family)}</td>
<td class="num">${tokens(row.context)}</td><td class="num">${tokens(row.output)}</td>
<td class="nowrap">${features(row)}</td>
<td class="num">${
      row.price
        ? `${money(row.price.input)} / ${money(row.price.output)} / ${money(row.price.cacheRead)}`
        : "–"
    }</td>
<td class="num">${c ? c.requests : ""}</td><td class="errors${errors === "0" ? " num" : ""}">${errors}</td>
<td class="num">${c ? `${ms(c.latencyP50Ms)} / ${ms(c.latencyP95Ms)}` : ""}</td>
<td class="num">${c ? `${count(c.inputTokens)} / ${count(c.outputTokens)}` : ""}</td>
<td class="num">${c?.cacheReadShare === undefined ? "" : `${Math.round(c.cacheReadShare * 100)} %`}</td>
<td class="num">${c && c.costedRequests > 0 ? `$${c.costUsd.toFixed(4)}` : ""}</td></tr>`;
  }).join("\n");
  return `<div class="scroll"><table class="models"><thead><tr><th>Model</th><th>Service</th><th>Family</th>
<th class="num">Context</th><th class="num">Output</th><th>Input, reasoning</th>
<th class="num">Price $/Mtok</th><th class="num">Requests</th><th>Errors</th><th class="num">p50 / p95</th>
<th class="num">Tokens in / out</th><th class="num">Cache read</th><th class="num">Cost</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function recentSection(status: StatusSnapshot): string {
  if (status.recent.length === 0) {
    return `<section><h2>Recent requests</h2><p class="note">None yet.</p></section>`;
  }
  const rows = status.recent.map((request) =>
    `<tr><td class="dim">${esc(time(request.time))}</td><td><code>${esc(request.route)}</code></td>
<td><code>${esc(request.model ?? "–")}</code>${
      request.upstreamModel && request.upstreamModel !== request.model
        ? ` → <code>${esc(request.upstreamModel)}</code>`
        : ""
    }</td><td>${esc(request.family ?? "–")}</td>
<td class="${request.status >= 400 ? "bad" : "ok"}">${request.status}${
      request.error ? ` <span class="dim">${esc(request.error)}</span>` : ""
    }</td><td class="num">${ms(request.latencyMs)}</td>
<td class="num">${
      request.inputTokens === undefined
        ? "–"
        : `${count(request.inputTokens)} / ${count(request.outputTokens ?? 0)}`
    }</td><td class="num">${request.costUsd === undefined ? "" : `$${request.costUsd.toFixed(4)}`}</td></tr>`
  ).join("\n");
  return `<section><h2>Recent requests</h2><div class="scroll"><table><thead><tr><th>Time</th><th>Route</th>
<th>Model</th><th>Family</th><th>Status</th><th class="num">Latency</th><th class="num">Tokens in / out</th>
<th class="num">Cost</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** What the model takes besides text, and whether it reasons: the status-page form of three flags. */
function features(row: ModelRow): string {
  if (row.images === undefined) return "–";
  const parts = [row.images && "images", row.pdf && "PDF", row.reasoning && "reasoning"].filter(Boolean);
  return parts.length === 0 ? `<span class="dim">text only</span>` : parts.join(", ");
}

/** Limits in full: they are what CLAUDE_CODE_MAX_CONTEXT_TOKENS and friends are set to. */
function tokens(value: number | undefined): string {
  return value === undefined ? "–" : count(value);
}

function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function money(value: number | null): string {
  return value === null ? "–" : `${Number(value.toFixed(3))}`;
}

function ms(value: number | undefined): string {
  if (value === undefined) return "–";
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

function time(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}
