// Tables: display width, escaping, fitting the terminal.
import * as FastCheck from "effect/FastCheck"
import stringWidth from "string-width"
import { describe, expect, it } from "vitest"
import * as Format from "../src/Format.js"

describe("Format.table", () => {
  it("aligns columns by display width (CJK and emoji take two columns)", () => {
    const text = Format.table(["NAME", "VALUE"], [["世界", "1"], ["🎉🎉🎉", "2"], ["abc", "3"]])
    const starts = text.split("\n").map((line) => stringWidth(line.slice(0, line.lastIndexOf(" ") + 1)))
    expect(new Set(starts).size).toBe(1)
  })

  it("writes out newlines and control characters, one line per row", () => {
    const text = Format.table(["NAME", "VALUE"], [["A", "line1\nline2\u001b[2J"]])
    expect(text.split("\n")).toHaveLength(2)
    expect(text).toContain("line1\\nline2\\e[2J")
  })

  it("fits any table in the width given, cutting with …", () => {
    const cell = FastCheck.string({ unit: "grapheme", maxLength: 40 })
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.tuple(cell, cell, cell), { maxLength: 6 }),
        FastCheck.integer({ min: 40, max: 120 }),
        (rows, max) => {
          const text = Format.table(["A", "B", "C"], rows, max)
          for (const line of text.split("\n")) expect(stringWidth(line)).toBeLessThanOrEqual(max)
        }
      )
    )
  })

  it("keeps whole values when they fit", () => {
    expect(Format.table(["NAME"], [["a-long-value"]], 80)).toBe("NAME\na-long-value")
    expect(Format.truncate("abcdefghij", 5)).toBe("abcd…")
  })
})
