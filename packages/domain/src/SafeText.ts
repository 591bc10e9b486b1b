/**
 * Text from elsewhere (a server, a file, an argument) made safe to show as one line: the
 * characters that would act on a terminal or hide in it are written out visibly. The client's
 * error messages and the CLI's human output both use `escape`.
 *
 * Printed raw, an `ESC` starts a control sequence (clear the screen, set the window title, an
 * OSC 8 link, move the cursor), a `\r` overwrites what the line said, a bidi override reverses
 * what follows it, and a zero-width character hides inside a word.
 *
 * @since 0.1.0
 */

/*
 * The characters `escape` replaces: C0 controls (tab and newline included), DEL and C1
 * controls (among them the 8-bit CSI U+009B), every format character (Unicode category Cf:
 * the soft hyphen U+00AD, zero-width spaces and joiners U+200B-U+200D, the bidi marks,
 * embeddings, overrides and isolates, U+2060-U+2064, the byte order mark U+FEFF, the
 * interlinear annotations, the tag characters), the line and paragraph separators
 * (U+2028, U+2029), and lone surrogates (half of a character, not text).
 */
const unsafe = /[\p{Cc}\p{Cf}\u2028\u2029]|[\ud800-\udfff]/gu

const named: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u001b": "\\e"
}

const hex = (char: string): string => {
  const code = char.codePointAt(0)!
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : code <= 0xffff
    ? `\\u${code.toString(16).padStart(4, "0")}`
    : `\\u{${code.toString(16)}}`
}

/**
 * The text with every unsafe character written out visibly instead: `\n`, `\r`, `\t`, `\e`
 * for ESC, `\xHH` for the other C0 and C1 controls, DEL and the soft hyphen, `\uHHHH` (or
 * `\u{HHHHH}`) for format characters, separators and lone surrogates. Everything else,
 * including non-Latin letters and emoji, is kept as it is. The result is one line and moves
 * no cursor.
 *
 * @example
 * ```ts
 * import { SafeText } from "@effect-apify/domain"
 *
 * SafeText.escape("ok\u001b]0;pwned\u0007\r\nnext") // "ok\\e]0;pwned\\x07\\r\\nnext"
 * SafeText.escape("pass\u200bword") // "pass\\u200bword"
 * SafeText.escape("Grüße, 世界") // "Grüße, 世界"
 * ```
 *
 * @since 0.1.0
 */
export const escape = (text: string): string => text.replace(unsafe, (char) => named[char] ?? hex(char))

/**
 * Whether the text shows as itself: it holds no character `escape` would change.
 *
 * @since 0.1.0
 */
export const isSafe = (text: string): boolean => text.search(unsafe) === -1
