/**
 * One line describing a failure's cause: its messages (and Node error codes) down the `cause`
 * chain, at most three deep.
 *
 * @internal
 */
export const causeText = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = "code" in current && typeof current.code === "string" ? ` [${current.code}]` : ""
      if (current.message !== "" || code !== "") parts.push(`${current.message}${code}`)
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.length === 0 ? "unknown error" : parts.join(": ")
}
