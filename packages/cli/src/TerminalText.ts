/**
 * Text from elsewhere (the server, a file, an argument) made safe to print on a terminal.
 *
 * Names, values, messages and URLs come from the API and can hold anything. Printed raw, an
 * `ESC` starts a control sequence (clear the screen, set the window title, an OSC 8 link,
 * move the cursor), a `\r` overwrites what the line said, and a bidi override reverses what
 * follows it. Human output passes every piece of outside text through {@link escape}; `--json`
 * output stays exact (JSON escapes C0 characters itself).
 *
 * @since 0.1.0
 */

/*
 * The characters `escape` replaces: C0 controls (U+0000–U+001F, tab and newline
 * included), DEL (U+007F), C1 controls (U+0080–U+009F, among them the 8-bit CSI U+009B),
 * the bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028, U+2029) and
 * the zero-width no-break space / byte order mark (U+FEFF).
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g

const named: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u001b": "\\e"
}

const hex = (char: string): string => {
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/**
 * The text with every unsafe character (C0 and C1 controls, DEL, bidi
 * controls, line and paragraph separators, U+FEFF) written out visibly instead: `\n`, `\r`,
 * `\t`, `\e` for ESC, `\xHH` for the other C0 and C1 controls and DEL, `\uHHHH` for the bidi
 * and separator characters. Everything else, including non-Latin letters and emoji, is kept
 * as it is. The result is one line and moves no cursor.
 *
 * @example
 * ```ts
 * import { TerminalText } from "@effect-apify/cli"
 *
 * TerminalText.escape("ok\u001b]0;pwned\u0007\r\nnext")
 * // "ok\\e]0;pwned\\x07\\r\\nnext"
 * TerminalText.escape("Grüße, 世界")
 * // "Grüße, 世界"
 * ```
 *
 * @since 0.1.0
 */
export const escape = (text: string): string => text.replace(unsafe, (char) => named[char] ?? hex(char))

/**
 * Whether the text prints as itself: it holds no character `escape` would change.
 *
 * @since 0.1.0
 */
export const isSafe = (text: string): boolean => text.search(unsafe) === -1
