import assert from "node:assert/strict";
import {
  asErrorKind,
  errorKinds,
  isErrorKind,
  kindForStatus,
  statusForKind,
  statusForOpenaiError,
  statusForResponsesCode,
} from "../../lib/errors/error_status.ts";

Deno.test("every hub error kind has a status, and a status maps back to its kind", () => {
  for (const kind of errorKinds) {
    assert.ok(isErrorKind(kind));
    const status = statusForKind(kind);
    assert.ok(status >= 400 && status < 600, `${kind}: ${status}`);
    // 500 and 529 are shared by more than one reading; every other status names its kind.
    if (kind !== "api_error" && kind !== "overloaded_error") assert.equal(kindForStatus(status), kind);
  }
});

Deno.test("isErrorKind and asErrorKind accept only the hub's kinds", () => {
  assert.equal(isErrorKind("rate_limit_error"), true);
  assert.equal(isErrorKind("insufficient_quota"), false);
  assert.equal(isErrorKind("toString"), false);
  assert.equal(isErrorKind(429), false);
  assert.equal(asErrorKind("overloaded_error"), "overloaded_error");
  assert.equal(asErrorKind("GoUsageLimitError"), "api_error");
});

Deno.test("statusForOpenaiError: a numeric code wins, then the type, then a string code", () => {
  assert.equal(statusForOpenaiError(429, "server_error"), 429);
  assert.equal(statusForOpenaiError("503", undefined), 503);
  assert.equal(statusForOpenaiError(null, "insufficient_quota"), 402);
  assert.equal(statusForOpenaiError("rate_limit_exceeded", null), 429);
  assert.equal(statusForOpenaiError(99, "unheard_of"), 500);
});

Deno.test("statusForResponsesCode reads the Responses error codes", () => {
  assert.equal(statusForResponsesCode("rate_limit_exceeded"), 429);
  assert.equal(statusForResponsesCode("insufficient_quota"), 429);
  assert.equal(statusForResponsesCode("context_length_exceeded"), 400);
  assert.equal(statusForResponsesCode("server_is_overloaded"), 503);
  assert.equal(statusForResponsesCode("server_error"), 500);
});
