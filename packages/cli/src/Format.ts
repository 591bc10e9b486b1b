/**
 * Text output for people: aligned tables, key/value blocks and human sizes. Everything here
 * is pure; printing happens in `Output`.
 *
 * @since 0.1.0
 */

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

/**
 * An aligned table with a header row. Cells are padded to the widest value of their column;
 * the last column is not padded.
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
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)))
  return all
    .map((row) =>
      row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)).join("  ")
        .trimEnd()
    )
    .join("\n")
}

/**
 * Key/value lines with the keys aligned: `name:     value`. Pairs whose value is undefined
 * are left out.
 *
 * @since 0.1.0
 */
export const fields = (pairs: ReadonlyArray<readonly [string, string | undefined]>): string => {
  const present = pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
  const width = Math.max(0, ...present.map(([key]) => key.length + 1))
  return present.map(([key, value]) => `${`${key}:`.padEnd(width)}  ${value}`).join("\n")
}

/**
 * Plural helper: `1 file`, `2 files`.
 *
 * @since 0.1.0
 */
export const count = (n: number, singular: string, plural = `${singular}s`): string =>
  `${n} ${n === 1 ? singular : plural}`
