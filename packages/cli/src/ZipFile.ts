/**
 * The bytes of a zip, read at given positions by `ZipDirectory` and `ZipReader`: from memory,
 * or from an open file (`TarballDownload` writes a pulled zip to one), so that only the
 * central directory and the piece being inflated are in memory, whatever the zip's size.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"

/**
 * A zip's bytes: its size, and `read`, which gives `length` bytes from `position` (within
 * `size`, as the caller checks), or `E` when they cannot be read. Given `scratch` (at least
 * `length` bytes), a zip in a file reads into it, so that reading a piece at a time allocates
 * nothing per piece: what it gives is then valid only until the next read into `scratch`.
 *
 * @since 0.1.0
 */
export interface ZipFile<E = never> {
  readonly size: number
  readonly read: (position: number, length: number, scratch?: Uint8Array) => Either.Either<Uint8Array, E>
}

/**
 * A zip in memory: each read is a view of its bytes (`scratch` is not needed).
 *
 * @since 0.1.0
 */
export const fromBytes = (bytes: Uint8Array): ZipFile => ({
  size: bytes.length,
  read: (position, length) => Either.right(bytes.subarray(position, position + length))
})
