/**
 * Text output for people: aligned tables, key/value blocks and human sizes. Everything here
 * is pure; printing happens in `Output`.
 *
 * @since 0.1.0
 */
import stringWidth from "string-width"
import * as TerminalText from "./TerminalText.js"

/**
 * A size in bytes as people read it: `512 B`, `1.5 KiB`, `3.0 MiB`.
 *
 * @since 0.1.0
 */
export const bytes = (n: number): string => {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`
}

// One column per character: string-width costs about 12 µs a call, 14 s for a 200,000-row table.
const printableAscii = /^[\x20-\x7e]*$/

/**
 * How many terminal columns `text` takes (East Asian wide characters and emoji count 2).
 *
 * @since 0.1.0
 */
export const width = (text: string): number => printableAscii.test(text) ? text.length : stringWidth(text)

const segmenter = new Intl.Segmenter()

/**
 * `text` cut to at most `max` columns, ending in `…` when cut.
 *
 * @since 0.1.0
 */
export const truncate = (text: string, max: number): string => {
  if (width(text) <= max) return text
  let out = ""
  let used = 0
  for (const { segment } of segmenter.segment(text)) {
    const w = width(segment)
    if (used + w > max - 1) break
    out += segment
    used += w
  }
  return `${out}…`
}

const padEnd = (text: string, columns: number): string => text + " ".repeat(Math.max(0, columns - width(text)))

// Narrows the widest columns until the table fits in `max` columns (2 between columns).
const fit = (widths: Array<number>, max: number): Array<number> => {
  const out = [...widths]
  const total = () => out.reduce((a, b) => a + b, 0) + 2 * (out.length - 1)
  while (total() > max) {
    const widest = out.reduce((best, w, i) => (w > out[best]! ? i : best), 0)
    if (out[widest]! <= 8) break
    out[widest] = out[widest]! - 1
  }
  return out
}

/**
 * An aligned table with a header row. Cells are escaped (control characters and newlines
 * written out, see `TerminalText`), measured in terminal columns and padded to the widest
 * value of their column; the last column is not padded. With `maxWidth`, the widest columns
 * are cut (ending in `…`) until the table fits.
 *
 * @example
 * ```ts
 * import { Format } from "@effect-apify/cli"
 *
 * Format.table(["NAME", "VALUE"], [["A", "1"], ["LONG_NAME", "2"]])
 * // NAME       VALUE
 * // A          1
 * // LONG_NAME  2
 * ```
 *
 * @since 0.1.0
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  maxWidth?: number
): string => {
  const all = [header, ...rows].map((row) => row.map(TerminalText.escape))
  // A fold, not Math.max(...): a spread of 130,000 rows into a call overflows the stack.
  const natural = header.map((_, column) => all.reduce((max, row) => Math.max(max, width(row[column] ?? "")), 0))
  const widths = maxWidth === undefined ? natural : fit(natural, maxWidth)
  return all
    .map((row) =>
      row.map((cell, column) => {
        const cut = truncate(cell, widths[column] ?? 0)
        return column === row.length - 1 ? cut : padEnd(cut, widths[column] ?? 0)
      }).join("  ").trimEnd()
    )
    .join("\n")
}

/**
 * Key/value lines with the keys aligned: `name:     value`. Pairs whose value is undefined
 * are left out. Values are escaped (see `TerminalText`).
 *
 * @since 0.1.0
 */
export const fields = (pairs: ReadonlyArray<readonly [string, string | undefined]>): string => {
  const present = pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
  const keyWidth = present.reduce((max, [key]) => Math.max(max, key.length + 1), 0)
  return present.map(([key, value]) => `${`${key}:`.padEnd(keyWidth)}  ${TerminalText.escape(value)}`).join("\n")
}

/**
 * Plural helper: `1 file`, `2 files`.
 *
 * @since 0.1.0
 */
export const count = (n: number, singular: string, plural = `${singular}s`): string =>
  `${n} ${n === 1 ? singular : plural}`
