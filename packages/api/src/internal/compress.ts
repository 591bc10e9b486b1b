import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as zlib from "node:zlib"

/** @internal */
export type Encoding = "gzip" | "br" | "deflate"

/**
 * Compresses off the main thread (node:zlib's thread pool). On a zlib failure the body is
 * sent uncompressed (`None`), which the API accepts just as well.
 *
 * @internal
 */
export const compress = (bytes: Uint8Array, encoding: Encoding, level: number): Effect.Effect<Option.Option<Buffer>> =>
  Effect.async<Option.Option<Buffer>>((resume) => {
    const done = (error: Error | null, out: Buffer) => {
      resume(Effect.succeed(error === null ? Option.some(out) : Option.none()))
    }
    switch (encoding) {
      case "gzip":
        zlib.gzip(bytes, { level }, done)
        break
      case "deflate":
        zlib.deflate(bytes, { level }, done)
        break
      case "br":
        zlib.brotliCompress(bytes, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: Math.min(level, 11),
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
          }
        }, done)
        break
    }
  })
