/**
 * Keys the log audit (scripts/check_test_logs.ts) checks besides the ones it derives from the tests' source.
 * The derivation finds string literals in credential positions (`x-api-key`, `authorization`, `apiKey:`,
 * `key:`, `OPENCODE_API_KEY`, `GATEWAY_KEYS`, `*_KEY = "…"`) and key-shaped literals (`sk-…`, `test-key…`,
 * `gw-key…`, `gwk-…`); a key a test builds at run time, reads from a file or generates must be listed here.
 */
export const TEST_KEYS: readonly string[] = [
  // tests/support/fake_provider_upstreams.ts: Azure's key has no key shape (sk-…, AIza…) to be derived by.
  "fake-azure-key-0004",
];
