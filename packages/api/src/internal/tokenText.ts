/**
 * Checks on the API token's characters before anything is sent (its scrubbing out of errors
 * is `Redaction.scrubber` of the domain).
 *
 * @internal
 */

const names: Readonly<Record<number, string>> = {
  0x09: "a tab",
  0x0a: "a line feed (LF)",
  0x0d: "a carriage return (CR)",
  0x20: "a space"
}

/**
 * What is wrong with the token's characters, never showing the token, or `undefined` when it
 * can be sent in an `Authorization` header: printable ASCII and Latin-1 only, no space, no
 * control character (C0, DEL, C1).
 */
export const problem = (token: string): string | undefined => {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i)
    const bad = code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code > 0xff
    if (!bad) continue
    const what = names[code] ??
      (code > 0xff
        ? `a character outside Latin-1 (U+${code.toString(16).toUpperCase().padStart(4, "0")})`
        : `a control character (0x${code.toString(16).padStart(2, "0")})`)
    const hint = code === 0x0a || code === 0x0d || code === 0x20 || code === 0x09
      ? "; was it read from a file with a line ending or padding?"
      : ""
    return `the API token contains ${what} at character ${i + 1} of ${token.length}${hint} (tokens are printable ASCII)`
  }
  return undefined
}
