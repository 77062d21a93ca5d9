import type { ChatHistoryData } from "./protocol/schemas.js";

export interface BuiltPrompt {
  /** The text the model "sees"; its token count is the prompt size. */
  text: string;
  /** What is being asked: the last user message (chat) or the whole raw prompt (completion). */
  question: string;
}

type Message = ChatHistoryData["messages"][number];

function messageText(message: Message): string {
  return message.content
    .map((part) => {
      switch (part.type) {
        case "text":
          return part.text;
        case "file":
          return `[file ${part.name}]`;
        case "toolCallRequest":
          return JSON.stringify(part.toolCallRequest);
        case "toolCallResult":
          return part.content;
      }
      return "";
    })
    .join("");
}

/**
 * Chat mode (`respond`): a ChatML-like template, as LM Studio applies the model's chat template, so
 * the prompt costs a few tokens more than the raw text. `systemPrompt` from the prediction config
 * becomes a leading system message.
 */
export function buildChatPrompt(history: ChatHistoryData, systemPrompt: string | undefined): BuiltPrompt {
  const parts: string[] = [];
  if (systemPrompt !== undefined && systemPrompt !== "") parts.push(`<|system|>\n${systemPrompt}<|end|>\n`);
  let question = "";
  for (const message of history.messages) {
    const text = messageText(message);
    parts.push(`<|${message.role}|>\n${text}<|end|>\n`);
    if (message.role === "user") question = text;
  }
  parts.push("<|assistant|>\n");
  return { text: parts.join(""), question };
}

/**
 * Completion mode: SDK 1.5 `complete()` sends the prompt as one user message plus a
 * `completeModeFormatting` layer whose template concatenates message contents verbatim; SDK 2.0
 * sends `rawPrompt` on `completeRawText`. Either way the model sees the raw text.
 */
export function buildRawPrompt(text: string): BuiltPrompt {
  return { text, question: text };
}

export function historyAsRawText(history: ChatHistoryData): string {
  return history.messages.map(messageText).join("");
}
