/**
 * The bounds of a version's zip, declared once for both ends of the deploy loop: `versions
 * pull` (and `versions diff`, `--plan`, the unchanged check of a push) refuses a zip past
 * them, and `versions push` refuses to upload what pull would refuse, so that whatever push
 * uploads, pull reads back. A pull streams the zip into a temporary file and writes its
 * entries one at a time, so these bound the disk a pull may fill, not its memory.
 *
 * @since 0.1.0
 */

/**
 * What a zip without ZIP64 records can count and address: 65,535 entries, 4 GiB less a byte.
 * Past them its counts and offsets wrap. fflate, which lays out push's zip, writes none.
 *
 * @since 0.1.0
 */
export const withoutZip64 = { maxEntries: 0xffff, maxBytes: 0xffff_ffff } as const

/**
 * The most entries a pulled zip may hold (its ZIP64 records are read: Python's `zipfile` and
 * `archiver` write them past 65,535 entries).
 *
 * @since 0.1.0
 */
export const maxEntries = 100_000

/**
 * The most a pulled zip's files may total once inflated, as its central directory declares
 * them (a zip bomb is refused before anything is inflated): 2 GiB.
 *
 * @since 0.1.0
 */
export const maxInflatedBytes = 2 * 1024 * 1024 * 1024

/**
 * The largest zip downloaded: the most a zip without ZIP64 addresses, so that push's zip of
 * the most files it may hold (`maxInflatedBytes`, barely deflated) is always within it.
 *
 * @since 0.1.0
 */
export const maxZipBytes = withoutZip64.maxBytes

/**
 * What `versions push` zips: no more files than pull reads and a zip without ZIP64 counts,
 * no more bytes in all than pull inflates, a zip no larger than pull downloads.
 *
 * @since 0.1.0
 */
export const push = {
  maxEntries: Math.min(maxEntries, withoutZip64.maxEntries),
  maxFilesBytes: maxInflatedBytes,
  maxZipBytes: Math.min(maxZipBytes, withoutZip64.maxBytes)
} as const
