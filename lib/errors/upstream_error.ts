/**
 * Turns an upstream error response (OpenCode's Anthropic-style envelope, OpenAI's, Gemini's, or plain text)
 * into a GatewayError with the status and wording Claude Code and the SDKs act on.
 */
import { kindForStatus } from "./error_status.ts";
import { type ErrorKind, GatewayError } from "./gateway_error.ts";

interface ParsedBody {
  type?: string;
  message: string;
  limitName?: string;
}

function parseBody(text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 500) };
  }
  const root = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> | undefined;
  const error = (root?.error ?? root) as Record<string, unknown> | string | undefined;
  if (typeof error === "string") return { message: error };
  const metadata = (error?.metadata ?? root?.metadata) as Record<string, unknown> | undefined;
  return {
    type: typeof error?.type === "string"
      ? error.type
      : typeof error?.status === "string"
      ? error.status
      : undefined,
    message: typeof error?.message === "string" ? error.message : text.slice(0, 500),
    limitName: typeof metadata?.limitName === "string" ? metadata.limitName : undefined,
  };
}

// Wordings upstreams use for context overflow; Claude Code only auto-compacts on "prompt is too long".
const contextOverflow =
  /context[ _-]?(length|window)|maximum context|prompt is too long|input is too long|too many (input )?tokens|exceeds? the (model'?s? )?(maximum|context|max)|reduce the length|input length|token limit/i;

// OpenCode's error classes (opencode.md §5) and what they really mean to a client.
const kindByUpstreamType: Record<string, ErrorKind> = {
  AuthError: "authentication_error",
  CreditsError: "billing_error",
  MonthlyLimitError: "billing_error",
  UserLimitError: "billing_error",
  ModelError: "not_found_error",
  RegionError: "permission_error",
  EntitlementError: "permission_error",
  GoUsageLimitError: "rate_limit_error",
  RateLimitError: "rate_limit_error",
  FreeUsageLimitError: "rate_limit_error",
  SubscriptionUsageLimitError: "rate_limit_error",
  BlackUsageLimitError: "rate_limit_error",
  PlanUsageLimitError: "rate_limit_error",
  // The gateway always sends x-opencode-session; if Go still complains, it is our bug, not the client's.
  MissingSessionID: "api_error",
  overloaded_error: "overloaded_error",
  RESOURCE_EXHAUSTED: "rate_limit_error",
  UNAVAILABLE: "overloaded_error",
};

/** "in 4 hours 12 minutes (at 2026-11-21 21:00 UTC)" from a retry-after in seconds. */
export function describeReset(retryAfterSeconds: number, now = Date.now()): string {
  const minutes = Math.max(1, Math.round(retryAfterSeconds / 60));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} day${days > 1 ? "s" : ""}` : "",
    hours ? `${hours} hour${hours > 1 ? "s" : ""}` : "",
    rest && !days ? `${rest} minute${rest > 1 ? "s" : ""}` : "",
  ].filter(Boolean);
  const at = new Date(now + retryAfterSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
  return `in ${parts.join(" ")} (at ${at} UTC)`;
}

/** OpenCode's `limitName` ("5 hour", "weekly", "monthly") as the words the message uses, plus a space. */
export function goWindowName(limitName: string | undefined): string {
  const name = limitName?.trim().toLowerCase() ?? "";
  if (/^(5|five)[ _-]?h(ou)?r?s?$|^rolling$/.test(name)) return "5-hour ";
  if (/^week(ly)?$/.test(name)) return "weekly ";
  if (/^month(ly)?$/.test(name)) return "monthly ";
  const cleaned = name.replace(/[^a-z0-9 -]/g, "").slice(0, 30);
  return cleaned ? `${cleaned} ` : "";
}

export function parseUpstreamError(status: number, text: string, headers: Headers): GatewayError {
  const body = parseBody(text);
  const retryAfter = headers.get("retry-after") ?? undefined;
  const message = body.message || `Upstream returned HTTP ${status}`;
  const upstreamType = body.type;
  if ((status === 400 || status === 413 || status === 422) && contextOverflow.test(message)) {
    return new GatewayError("invalid_request_error", `prompt is too long: ${message}`, { upstreamType });
  }
  if (upstreamType === "GoUsageLimitError") {
    const seconds = Number(retryAfter);
    const reset = Number.isFinite(seconds) && seconds > 0 ? ` It resets ${describeReset(seconds)}.` : "";
    return new GatewayError(
      "rate_limit_error",
      `OpenCode Go ${
        goWindowName(body.limitName)
      }usage limit reached.${reset} Enable "Use balance" in the OpenCode console to continue on Zen credits.`,
      { retryAfter, upstreamType },
    );
  }
  const kind = (upstreamType ? kindByUpstreamType[upstreamType] : undefined) ?? kindForStatus(status);
  // OpenCode rewrites upstream 404s to 400; a ModelError arrives as 401 but is about the model, not the key.
  // An api_error on a 4xx (MissingSessionID) is the gateway's own bug; on a 5xx it is the upstream's (502).
  const ownBug = kind === "api_error" && status < 500;
  return new GatewayError(kind, message, { retryAfter, upstreamType, status: ownBug ? 500 : undefined });
}
