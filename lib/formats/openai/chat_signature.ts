/**
 * Chat reasoning carries no signature: this one marks a thinking block as produced on an OpenAI wire without
 * one (Chat's `reasoning_content`, a Responses item with no encrypted content), so it is replayed only to chat
 * upstreams and never sent to a provider that would check it.
 */
import { encodeSignature } from "../../hub/signature.ts";

export const OPENAI_CHAT_SIGNATURE = encodeSignature({ provider: "openai-chat", payload: "" });
