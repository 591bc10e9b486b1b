// Outside text printed for people: no control character reaches the terminal, everything
// else is kept, and nothing is lost (the escaping is readable back).
import * as FastCheck from "effect/FastCheck"
import { describe, expect, it } from "vitest"
import * as TerminalText from "../src/TerminalText.js"

const fc = FastCheck

// Every code point a terminal acts on rather than prints, or that hides in text: C0, DEL and
// C1 controls, the line and paragraph separators, and every format character (category Cf:
// bidi controls, zero-width characters, the soft hyphen, U+FEFF, ...).
const format = /^\p{Cf}$/u
const controls: ReadonlyArray<number> = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x2028,
  0x2029,
  ...Array.from({ length: 0x10000 }, (_, i) => i).filter((code) =>
    (code < 0xd800 || code > 0xdfff) && format.test(String.fromCharCode(code))
  )
]
const controlSet = new Set(controls)
const hasControl = (text: string): boolean =>
  [...text].some((char) => controlSet.has(char.codePointAt(0) ?? 0) || format.test(char))

// Reads the escaped form back (the test's own inverse, to prove nothing is lost).
const unescape = (text: string): string =>
  text.replace(/\\(n|r|t|e|x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\})/g, (_, code: string) =>
    code === "n"
      ? "\n"
      : code === "r"
      ? "\r"
      : code === "t"
      ? "\t"
      : code === "e"
      ? "\u001b"
      : String.fromCodePoint(parseInt(code.replace(/[u{}x]/g, ""), 16)))

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

  it("writes out zero-width and other format characters, the soft hyphen and lone surrogates", () => {
    expect(TerminalText.escape("apify_api_ab\u200bcd")).toBe("apify_api_ab\\u200bcd")
    expect(TerminalText.escape("pay\u00adpal\u2060x\u200dy")).toBe("pay\\xadpal\\u2060x\\u200dy")
    expect(TerminalText.escape("tag\u{e0041}")).toBe("tag\\u{e0041}")
    expect(TerminalText.escape("a\ud800b\udc00c")).toBe("a\\ud800b\\udc00c")
    expect(TerminalText.escape("\ud83d\ude80")).toBe("\ud83d\ude80")
    for (let code = 0xd800; code <= 0xdfff; code++) {
      expect(TerminalText.isSafe(String.fromCharCode(code))).toBe(false)
    }
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
