import assert from "node:assert/strict";
import { parsePath } from "../../lib/routes/parse_path.ts";

Deno.test("parsePath splits service prefix, model-in-path and endpoint", async (t) => {
  const cases: [string, ReturnType<typeof parsePath>][] = [
    ["/v1/messages", { service: undefined, pathModel: undefined, endpoint: "/v1/messages" }],
    ["/go/v1/messages", { service: "go", pathModel: undefined, endpoint: "/v1/messages" }],
    ["/zen/v1/chat/completions", { service: "zen", pathModel: undefined, endpoint: "/v1/chat/completions" }],
    ["/go/kimi-k2.6/v1/messages", { service: "go", pathModel: "kimi-k2.6", endpoint: "/v1/messages" }],
    ["/v1/models/glm-5.1", { service: undefined, pathModel: undefined, endpoint: "/v1/models/glm-5.1" }],
    ["/api/hello", { service: undefined, pathModel: undefined, endpoint: "/api/hello" }],
    ["/", { service: undefined, pathModel: undefined, endpoint: "/" }],
    ["/elsewhere/v1/messages", undefined],
    ["/go", { service: "go", pathModel: undefined, endpoint: "/" }],
    ["/zen/", { service: "zen", pathModel: undefined, endpoint: "/" }],
    ["/go/api/hello", { service: "go", pathModel: undefined, endpoint: "/api/hello" }],
    ["/go/kimi-k2.6/api/hello", { service: "go", pathModel: "kimi-k2.6", endpoint: "/api/hello" }],
    // A model segment with no endpoint after it is no route (it was read as the health route `/`).
    ["/go/anything", undefined],
    ["/zen/kimi-k2.6/", undefined],
    ["/go/v1", undefined],
    // A broken escape threw URIError (a bare 500); now reported for the gateway's 400.
    ["/go/%E0%A4%A/v1/messages", {
      service: "go",
      pathModel: undefined,
      endpoint: "/v1/messages",
      malformedModel: "%E0%A4%A",
    }],
  ];
  for (const [path, expected] of cases) {
    await t.step(path, () => assert.deepEqual(parsePath(path), expected));
  }
});

Deno.test("parsePath: a provider prefix with a model and no endpoint is no route either", () => {
  assert.deepEqual(parsePath("/local", ["local"]), { service: "local", pathModel: undefined, endpoint: "/" });
  assert.equal(parsePath("/local/coder", ["local"]), undefined);
  assert.deepEqual(parsePath("/local/coder/v1/messages", ["local"]), {
    service: "local",
    pathModel: "coder",
    endpoint: "/v1/messages",
  });
});
