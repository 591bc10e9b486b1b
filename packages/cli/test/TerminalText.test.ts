// Outside text printed for people: no control character reaches the terminal, everything
// else is kept, and nothing is lost (the escaping is readable back).
import * as FastCheck from "effect/FastCheck"
import { describe, expect, it } from "vitest"
import * as TerminalText from "../src/TerminalText.js"

const fc = FastCheck

// Every code point a terminal acts on rather than prints.
const controls: ReadonlyArray<number> = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x061c,
  0x200e,
  0x200f,
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
  0xfeff
]
const controlSet = new Set(controls)
const hasControl = (text: string): boolean => [...text].some((char) => controlSet.has(char.codePointAt(0) ?? 0))

// Reads the escaped form back (the test's own inverse, to prove nothing is lost).
const unescape = (text: string): string =>
  text.replace(/\\(n|r|t|e|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, code: string) =>
    code === "n"
      ? "\n"
      : code === "r"
      ? "\r"
      : code === "t"
      ? "\t"
      : code === "e"
      ? "\u001b"
      : String.fromCharCode(parseInt(code.slice(1), 16)))

// Strings mixing printable text (any plane) with control characters and escape sequences.
const hostile = fc.array(
  fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.constantFrom(...controls).map((code) => String.fromCharCode(code)),
    fc.constantFrom(
      "\u001b[2J",
      "\u001b]0;title\u0007",
      "\u001b]8;;https://evil/\u001b\\link\u001b]8;;\u001b\\",
      "\u009b31m"
    )
  ),
  { maxLength: 12 }
).map((parts) => parts.join(""))

describe("TerminalText.escape", () => {
  it("writes out the sequences a hostile server would send", () => {
    expect(TerminalText.escape("ok\u001b]0;pwned\u0007\r\nnext")).toBe("ok\\e]0;pwned\\x07\\r\\nnext")
    expect(TerminalText.escape("\u001b[2J\u001b[H")).toBe("\\e[2J\\e[H")
    expect(TerminalText.escape("a\tb\u0000c\u007f\u009bd")).toBe("a\\tb\\x00c\\x7f\\x9bd")
    expect(TerminalText.escape("abc\u202edcba")).toBe("abc\\u202edcba")
  })

  it("keeps printable text, non-Latin letters and emoji as they are", () => {
    expect(TerminalText.escape("Grüße, 世界 🚀 ~/a-b_c.d")).toBe("Grüße, 世界 🚀 ~/a-b_c.d")
  })

  it("leaves no control character, keeps safe text, and loses nothing (property, 2,000 strings)", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = TerminalText.escape(text)
        expect(hasControl(escaped)).toBe(false)
        expect(TerminalText.isSafe(escaped)).toBe(true)
        expect(TerminalText.isSafe(text)).toBe(!hasControl(text))
        if (!hasControl(text)) expect(escaped).toBe(text)
        if (!text.includes("\\")) expect(unescape(escaped)).toBe(text)
      }),
      { numRuns: 2000 }
    )
  })

  it("covers exactly the listed code points in the BMP", () => {
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const char = String.fromCharCode(code)
      expect(TerminalText.isSafe(char)).toBe(!controlSet.has(code))
    }
  })
})
