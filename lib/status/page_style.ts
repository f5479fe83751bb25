/** What the status page and the login form share: the stylesheet, HTML escaping and the response headers. */

export function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** No script may run, nothing loads from elsewhere, forms post only here, and nobody may frame the page. */
export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  // Not no-referrer: with it Chromium sends `Origin: null` on the sign-in form's POST, which the CSRF check refuses.
  "referrer-policy": "same-origin",
};

export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1d2125; --dim: #6a737d; --line: #d8dee4; --bg: #fff; --head: #f3f5f7;
  --ok: #1a7f37; --bad: #cf222e; --bar: #2f81f7; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --dim: #8b949e; --line: #30363d; --bg: #0d1117;
  --head: #161b22; --ok: #3fb950; --bad: #f85149; --bar: #58a6ff; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1600px; margin: 0 auto; padding: 16px 24px 40px; }
header { display: flex; align-items: center; justify-content: space-between; gap: 16px; }
h1 { font-size: 22px; margin: 8px 0; } h1 small { color: var(--dim); font-weight: normal; font-size: 15px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--head); font-weight: 600; white-space: nowrap; position: sticky; top: 0; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.errors { font-size: 12.5px; white-space: nowrap; } td.errors.num { font-size: inherit; }
td.nowrap, td code { white-space: nowrap; }
tr.used td:first-child { border-left: 3px solid var(--bar); }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.scroll { overflow-x: auto; }
.summary { font-size: 15px; margin: 4px 0; }
.note, .dim { color: var(--dim); } .note { margin: 6px 0; font-size: 13px; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.meter { display: grid; grid-template-columns: 140px minmax(120px, 320px) 60px auto; gap: 12px;
  align-items: center; margin: 6px 0; }
.bar { height: 10px; border-radius: 5px; background: var(--line); overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--bar); } .bar.full > span { background: var(--bad); }
form.login { max-width: 360px; margin: 12vh auto; display: grid; gap: 10px; }
input, button { font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); }
button { cursor: pointer; background: var(--head); }
`;

/** The sign-in form shown instead of the page to a browser without the cookie. */
export function renderLoginPage(problem?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>opencode-bridge status: sign in</title>
<style>${PAGE_STYLE}</style></head>
<body><main>
<form class="login" method="post" action="/login">
<h1>opencode-bridge</h1>
<p class="note">This gateway's status page needs one of its gateway keys (GATEWAY_KEYS).</p>
${problem ? `<p class="bad" role="alert">${escapeHtml(problem)}</p>` : ""}
<label for="key">Gateway key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
</main></body></html>
`;
}
