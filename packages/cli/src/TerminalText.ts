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

import { SafeText } from "@effect-apify/domain"

/**
 * The text with every unsafe character (C0 and C1 controls, DEL, format characters such as
 * bidi controls, zero-width spaces and the soft hyphen, line and paragraph separators, lone
 * surrogates) written out visibly instead: `\n`, `\r`, `\t`, `\e` for ESC, `\xHH` for the
 * other C0 and C1 controls, DEL and U+00AD, `\uHHHH` for the rest. Everything else, including
 * non-Latin letters and emoji, is kept as it is. The result is one line and moves no cursor.
 * The same rule as the client's error messages (`SafeText.escape` of the domain).
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
export const escape: (text: string) => string = SafeText.escape

/**
 * Whether the text prints as itself: it holds no character `escape` would change.
 *
 * @since 0.1.0
 */
export const isSafe: (text: string) => boolean = SafeText.isSafe

/**
 * `escape` that can be read back: a backslash is written `\\` first, so a value holding the
 * two characters `\n` and one holding a line break print differently. For values shown on
 * their own (`env get` on a terminal, the VALUE column of `env list`).
 *
 * @example
 * ```ts
 * import { TerminalText } from "@effect-apify/cli"
 *
 * TerminalText.escapeValue("a\\nb") // "a\\\\nb"
 * TerminalText.escapeValue("a\nb") // "a\\nb"
 * ```
 *
 * @since 0.1.0
 */
export const escapeValue = (text: string): string => SafeText.escape(text.replaceAll("\\", "\\\\"))
