/**
 * Questions a command asks when a flag is missing and it runs in a terminal. Prompts go to stderr, so
 * `--print` output on stdout stays clean; a secret is read with echo off.
 */

export interface Asker {
  /** False when stdin is not a terminal: commands must then fail with the flag to pass instead of asking. */
  readonly interactive: boolean;
  ask(question: string, options?: { default?: string; secret?: boolean }): Promise<string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Asks on the process's own terminal. */
export function terminalAsker(): Asker {
  let pending = "";
  const readLine = async (): Promise<string | null> => {
    const buffer = new Uint8Array(1024);
    while (!pending.includes("\n")) {
      const count = await Deno.stdin.read(buffer);
      if (count === null) {
        if (pending === "") return null;
        break;
      }
      pending += decoder.decode(buffer.subarray(0, count), { stream: true });
    }
    const newline = pending.indexOf("\n");
    const line = newline < 0 ? pending : pending.slice(0, newline);
    pending = newline < 0 ? "" : pending.slice(newline + 1);
    return line.replace(/\r$/, "");
  };
  return {
    interactive: Deno.stdin.isTerminal(),
    async ask(question, options = {}) {
      // A secret default is never echoed: Enter keeps it.
      const hint = options.default
        ? ` [${options.secret ? "Enter keeps the one found" : options.default}]`
        : "";
      Deno.stderr.writeSync(encoder.encode(`${question}${hint}: `));
      const answer = options.secret ? await readSecret() : await readLine();
      if (answer === null) throw new Error("no answer (end of input)");
      return answer.trim() || options.default || "";
    },
  };
}

/** One line with echo off; Ctrl-C exits as a shell would (130). */
async function readSecret(): Promise<string | null> {
  Deno.stdin.setRaw(true);
  let text = "";
  const buffer = new Uint8Array(256);
  try {
    while (true) {
      const count = await Deno.stdin.read(buffer);
      if (count === null) return text === "" ? null : text;
      for (const byte of buffer.subarray(0, count)) {
        if (byte === 3) {
          Deno.stdin.setRaw(false);
          Deno.stderr.writeSync(encoder.encode("\n"));
          Deno.exit(130);
        }
        if (byte === 13 || byte === 10) {
          Deno.stderr.writeSync(encoder.encode("\n"));
          return text;
        }
        if (byte === 127 || byte === 8) text = text.slice(0, -1);
        else if (byte >= 32) text += String.fromCharCode(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
  }
}

/** Scripted answers, in order (tests). */
export function scriptedAsker(answers: string[]): Asker & { questions: string[] } {
  const questions: string[] = [];
  return {
    interactive: true,
    questions,
    ask(question, options = {}) {
      questions.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return Promise.resolve(answer.trim() || options.default || "");
    },
  };
}

/** `sk-…wxyz`: enough to recognise a key without showing it. */
export function maskKey(key: string): string {
  return key.length <= 8 ? "…" : `${key.slice(0, 3)}…${key.slice(-4)}`;
}
