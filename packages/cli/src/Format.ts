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

const columnsTotal = (widths: ReadonlyArray<number>): number =>
  widths.reduce((a, b) => a + b, 0) + 2 * Math.max(0, widths.length - 1)

// Cuts the widest of the `movable` columns, none below its floor, by `excess` columns in all
// (as far as the floors allow): the level they are cut to is found by bisection, so a table
// of many columns costs a few passes.
const shrink = (
  widths: ReadonlyArray<number>,
  movable: ReadonlyArray<boolean>,
  floors: ReadonlyArray<number>,
  excess: number
): Array<number> => {
  const cutAt = (level: number) =>
    widths.reduce((sum, w, i) => sum + (movable[i] ? Math.max(0, w - Math.max(level, floors[i]!)) : 0), 0)
  let low = 0
  let high = widths.reduce((max, w) => Math.max(max, w), 0)
  if (cutAt(0) <= excess) return widths.map((w, i) => (movable[i] ? Math.min(w, floors[i]!) : w))
  // The highest level that still cuts enough.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (cutAt(mid) >= excess) low = mid
    else high = mid - 1
  }
  let giveBack = cutAt(low) - excess
  return widths.map((w, i) => {
    if (!movable[i] || w <= Math.max(low, floors[i]!)) return w
    const back = giveBack > 0 ? 1 : 0
    giveBack -= back
    return Math.max(low, floors[i]!) + back
  })
}

/**
 * Which columns of a table to show and how wide, to fit in `max` columns of terminal: first
 * columns empty in every row go; then the columns not in `keep` are narrowed (none below its
 * header or 4), and where that is not enough the rightmost of them go; only then are the
 * `keep` columns (ids, names) cut, and as a last resort more columns dropped.
 *
 * @since 0.1.0
 */
export const layout = (
  natural: ReadonlyArray<number>,
  headerWidths: ReadonlyArray<number>,
  empty: ReadonlyArray<boolean>,
  max: number,
  keep: ReadonlyArray<number>
): { readonly columns: ReadonlyArray<number>; readonly widths: ReadonlyArray<number> } => {
  const all = natural.map((_, i) => i)
  if (columnsTotal(natural) <= max) return { columns: all, widths: natural }
  const floor = (c: number) => Math.min(natural[c]!, Math.max(headerWidths[c]!, 4))
  const kept = (c: number) => keep.includes(c)
  let columns = all.filter((c) => !empty[c])
  // The rightmost columns not kept go while the rest cannot fit even at their floors.
  let need = columnsTotal(columns.map((c) => (kept(c) ? natural[c]! : floor(c))))
  const dropped = new Set<number>()
  for (let at = columns.length - 1; at >= 0 && need > max; at--) {
    const c = columns[at]!
    if (kept(c) || columns.length - dropped.size <= 1) continue
    need -= floor(c) + 2
    dropped.add(c)
  }
  columns = columns.filter((c) => !dropped.has(c))
  const narrowed = () =>
    shrink(
      columns.map((c) => natural[c]!),
      columns.map((c) => !kept(c)),
      columns.map(floor),
      columnsTotal(columns.map((c) => natural[c]!)) - max
    )
  let widths = narrowed()
  // A column cut to a stub (under 12 of its columns) says little: the rightmost one not kept
  // goes instead, and the others get its room.
  while (widths.some((w, at) => !kept(columns[at]!) && w < Math.min(natural[columns[at]!]!, 12))) {
    let at = columns.length - 1
    while (at >= 0 && kept(columns[at]!)) at--
    if (at < 0 || columns.length <= 1) break
    columns = columns.filter((_, i) => i !== at)
    widths = narrowed()
  }
  if (columnsTotal(widths) > max) {
    widths = shrink(widths, columns.map(() => true), columns.map(() => 1), columnsTotal(widths) - max)
  }
  // Too many columns for the width even one column each.
  while (columns.length > 1 && columnsTotal(widths) > max) {
    const remove = Math.max(1, Math.floor((columnsTotal(widths) - max) / 3))
    columns = columns.slice(0, -remove)
    widths = widths.slice(0, -remove)
  }
  return { columns, widths }
}

/**
 * An aligned table with a header row. Cells are escaped (control characters and newlines
 * written out, see `TerminalText`), measured in terminal columns and padded to the widest
 * value of their column; the last column is not padded. With `maxWidth`, the table is made
 * to fit (see `layout`: empty columns dropped, columns other than `keep` narrowed or dropped
 * first; cut values end in `…`). `keep` defaults to the first column.
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
  maxWidth?: number,
  keep: ReadonlyArray<number> = [0]
): string => {
  const all = [header, ...rows].map((row) => row.map(TerminalText.escape))
  // A fold, not Math.max(...): a spread of 130,000 rows into a call overflows the stack.
  const natural = header.map((_, column) => all.reduce((max, row) => Math.max(max, width(row[column] ?? "")), 0))
  const { columns, widths } = maxWidth === undefined
    ? { columns: natural.map((_, i) => i), widths: natural }
    : layout(
      natural,
      all[0]!.map(width),
      header.map((_, column) => rows.every((row) => (row[column] ?? "") === "")),
      maxWidth,
      keep
    )
  return all
    .map((row) =>
      columns.map((column, at) => {
        const cut = truncate(row[column] ?? "", widths[at] ?? 0)
        return at === columns.length - 1 ? cut : padEnd(cut, widths[at] ?? 0)
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
 * A number as people read it, thousands separated: `65,536`, `2,146,435,072`.
 *
 * @since 0.1.0
 */
export const number = (n: number): string => n.toLocaleString("en-US")

/**
 * Plural helper: `1 file`, `2 files`, `100,000 files`.
 *
 * @since 0.1.0
 */
export const count = (n: number, singular: string, plural = `${singular}s`): string =>
  `${number(n)} ${n === 1 ? singular : plural}`
