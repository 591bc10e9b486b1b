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

  it("a narrow terminal gets a table that fits: empty columns and long titles go first, ids and names stay whole", () => {
    const header = ["ACTOR", "ID", "TITLE", "EMPTY", "MODIFIED"]
    const rows = [
      ["janedoe~my-actor", "VtShkgEG8bEutzVwP", "My Actor with a really long title", "", "2026-11-22T05:31:00.936Z"],
      ["janedoe~other", "Hd8KqzX3bN2mPq7Lr", "", "", "2026-11-23T10:02:11.002Z"]
    ]
    for (const max of [40, 50, 60, 80]) {
      const lines = Format.table(header, rows, max, [0, 1]).split("\n")
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(max)
      expect(lines[0]).not.toContain("EMPTY")
      expect(lines[1]).toMatch(/^janedoe~my-actor {2}VtShkgEG8bEutzVwP/)
      expect(lines[2]).toMatch(/^janedoe~other {5}Hd8KqzX3bN2mPq7Lr/)
    }
    expect(Format.table(header, rows, 40, [0, 1])).toBe(
      "ACTOR             ID\njanedoe~my-actor  VtShkgEG8bEutzVwP\njanedoe~other     Hd8KqzX3bN2mPq7Lr"
    )
    expect(Format.table(header, rows, 60, [0, 1]).split("\n")[1]).toBe(
      "janedoe~my-actor  VtShkgEG8bEutzVwP  My Actor with a really…" // MODIFIED would be cut to a stub: dropped
    )
    // Wide enough for everything: nothing dropped, the empty column kept.
    expect(Format.table(header, rows, 120, [0, 1]).split("\n")[0]).toContain("EMPTY")
  })
})

describe("Format.number and Format.count", () => {
  it("separate thousands, as every count and exact size in a message does", () => {
    expect(Format.number(0)).toBe("0")
    expect(Format.number(65_535)).toBe("65,535")
    expect(Format.number(2_146_435_072)).toBe("2,146,435,072")
    expect(Format.count(1, "file")).toBe("1 file")
    expect(Format.count(100_000, "file")).toBe("100,000 files")
    expect(Format.count(2, "entry", "entries")).toBe("2 entries")
  })
})
