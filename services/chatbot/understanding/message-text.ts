// What the bot reads of a user's text. The contract already bounds its length (1 to 2000
// characters); here control and invisible formatting characters go (NUL cannot even be stored:
// PostgreSQL under FerretDB refuses it, and bidirectional overrides could make a stored message
// read differently from what the bot understood), whitespace runs become one space, and Unicode is
// composed (NFC) so that the same words always look the same to the tokenizer and the entities.
import { invalidArgument } from "../../runtime/errors.js";

// Control characters (C0, DEL, C1), format characters (bidirectional overrides, zero-width
// spaces, the byte order mark) and unpaired surrogates.
const invisible = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

/** The text with invisible characters removed and whitespace collapsed; "" when nothing is left. */
export function cleanText(text: string): string {
  return text.normalize("NFC").replace(/\s+/gu, " ").replace(invisible, "").replace(/ {2,}/g, " ").trim();
}

/** The cleaned text of a request field, or INVALID_ARGUMENT when it holds nothing readable. */
export function readableText(field: string, text: string): string {
  const cleaned = cleanText(text);
  if (cleaned === "") {
    throw invalidArgument([{ field, description: "must contain visible text" }]);
  }
  return cleaned;
}
