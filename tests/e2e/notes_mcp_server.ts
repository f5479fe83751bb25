/**
 * A minimal stdio MCP server for the tool-search end-to-end test: one tool, `save_note`, which appends its
 * text to the file named by NOTES_FILE, so the test can see that Claude Code called it. JSON-RPC 2.0, one
 * message per line, as Claude Code speaks it to stdio servers.
 */
const notesFile = Deno.env.get("NOTES_FILE") ?? "notes.txt";
const encoder = new TextEncoder();

function reply(id: unknown, result: unknown): void {
  Deno.stdout.writeSync(encoder.encode(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`));
}

function handle(message: { id?: unknown; method?: string; params?: Record<string, unknown> }): void {
  switch (message.method) {
    case "initialize":
      return reply(message.id, {
        protocolVersion: (message.params?.protocolVersion as string) ?? "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "notes", version: "1.0.0" },
      });
    case "tools/list":
      return reply(message.id, {
        tools: [{
          name: "save_note",
          description: "Save a short note to the user's notes file",
          inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
        }],
      });
    case "tools/call": {
      const args = (message.params?.arguments ?? {}) as { text?: string };
      Deno.writeTextFileSync(notesFile, `${args.text ?? ""}\n`, { append: true });
      return reply(message.id, { content: [{ type: "text", text: "saved" }] });
    }
    default:
      // Notifications need no answer; other requests get an empty result.
      if (message.id !== undefined) reply(message.id, {});
  }
}

let pending = "";
const decoder = new TextDecoder();
for await (const chunk of Deno.stdin.readable) {
  pending += decoder.decode(chunk, { stream: true });
  let newline;
  while ((newline = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, newline).trim();
    pending = pending.slice(newline + 1);
    if (line) handle(JSON.parse(line));
  }
}
