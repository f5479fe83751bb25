/** Starts `fake_upstream.ts` as its own process and resolves with its address once it listens. */

export interface FakeProcess {
  url: string;
  stop(): Promise<void>;
}

const scriptPath = decodeURIComponent(new URL("./fake_upstream.ts", import.meta.url).pathname);
const configPath = decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname);

export async function startFakeProcess(): Promise<FakeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `--config=${configPath}`, scriptPath],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`fake upstream exited before listening: ${seen}`);
    seen += value;
    const match = seen.match(/listening on (http:\/\/\S+)/);
    if (match) {
      // Keep draining so a full pipe never blocks the fake.
      (async () => {
        while (!(await reader.read()).done) { /* discard */ }
      })().catch(() => {});
      return {
        url: match[1],
        async stop() {
          try {
            child.kill("SIGTERM");
          } catch { /* already gone */ }
          await child.status;
        },
      };
    }
  }
}
