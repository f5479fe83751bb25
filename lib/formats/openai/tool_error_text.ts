/** Tool failures on OpenAI wires, which have no is_error flag. */

/**
 * A failed tool's output for a wire without an is_error flag (Chat's `tool` message, the Responses
 * `function_call_output`): without the prefix a failed command reads like its normal output.
 */
export function toolErrorText(text: string): string {
  return text ? `Error: ${text}` : "Error";
}
