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

  it("a table of 200,000 rows, and one of 200,000 columns, without a stack overflow", () => {
    // Math.max(...rows) and Math.max(...columns) passed every value as an argument: a RangeError
    const rows = Array.from({ length: 200_000 }, (_, i) => [`VAR_${i}`, `value-${i}`])
    const lines = Format.table(["NAME", "VALUE"], rows).split("\n")
    expect(lines).toHaveLength(200_001)
    expect(lines[200_000]).toBe("VAR_199999  value-199999")
    const wide = Array.from({ length: 200_000 }, (_, i) => `c${i}`)
    const cut = Format.table(wide, [wide], 80).split("\n")
    expect(cut).toHaveLength(2)
  })

  it("keeps whole values when they fit", () => {
    expect(Format.table(["NAME"], [["a-long-value"]], 80)).toBe("NAME\na-long-value")
    expect(Format.truncate("abcdefghij", 5)).toBe("abcd…")
  })
})
