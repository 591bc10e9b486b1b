/**
 * Reads a request body with a bound: at most `limit` bytes after decompression are kept in
 * memory, whatever the client sends.
 *
 * @internal
 */
import { Limits } from "@effect-apify/domain"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import * as Zlib from "node:zlib"
import * as ApiError from "./apiError.js"

/** @internal */
export type Encoding = "identity" | "gzip" | "br" | "deflate"

/** @internal */
export const parseEncoding = (header: string | undefined): Effect.Effect<Encoding, ApiError.ApiError> => {
  const value = (header ?? "").trim().toLowerCase()
  switch (value) {
    case "":
    case "identity":
      return Effect.succeed("identity")
    case "gzip":
    case "x-gzip":
      return Effect.succeed("gzip")
    case "br":
      return Effect.succeed("br")
    case "deflate":
      return Effect.succeed("deflate")
    default:
      return Effect.fail(ApiError.unsupportedEncoding(header ?? ""))
  }
}

/** How many raw bytes are read and thrown away after the limit, so the client still gets its 413. */
const drainCap = 32 * 1024 * 1024

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

const decompressor = (encoding: Exclude<Encoding, "identity">): Zlib.Gunzip | Zlib.BrotliDecompress | Zlib.Inflate => {
  switch (encoding) {
    case "gzip":
      return Zlib.createGunzip()
    case "br":
      return Zlib.createBrotliDecompress()
    case "deflate":
      return Zlib.createInflate()
  }
}

const decompress = (
  encoding: Exclude<Encoding, "identity">,
  input: Uint8Array,
  method: string,
  limit: number
): Effect.Effect<Uint8Array, ApiError.ApiError> =>
  Effect.async<Uint8Array, ApiError.ApiError>((resume) => {
    const zlib = decompressor(encoding)
    const chunks: Array<Uint8Array> = []
    let size = 0
    let done = false
    const finish = (effect: Effect.Effect<Uint8Array, ApiError.ApiError>) => {
      if (done) return
      done = true
      resume(effect)
    }
    zlib.on("data", (chunk: Uint8Array) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > limit * 16) {
        zlib.destroy()
        finish(Effect.fail(ApiError.requestTooLarge(method, limit, size)))
      }
    })
    zlib.on("end", () =>
      finish(
        size > limit ? Effect.fail(ApiError.requestTooLarge(method, limit, size)) : Effect.succeed(concat(chunks, size))
      ))
    zlib.on("error", () =>
      finish(
        Effect.fail(
          ApiError.invalidInput(`The request body could not be decompressed (Content-Encoding: ${encoding}).`)
        )
      ))
    zlib.end(input)
    return Effect.sync(() => {
      done = true
      zlib.destroy()
    })
  })

interface Raw {
  readonly chunks: Array<Uint8Array>
  size: number
}

const collect = (acc: Raw, chunk: Uint8Array, rawLimit: number) => {
  if (acc.size + chunk.length <= rawLimit) acc.chunks.push(chunk)
  acc.size += chunk.length
}

const readError = () => ApiError.invalidInput("The request body could not be read.")

/**
 * Reads the raw bytes, keeping at most `rawLimit` and counting (not keeping) past it up to
 * `drainCap` (a body within a limit over `drainCap`, a large record, is read whole). The web and Node sources are read directly: going through `Stream` costs about
 * 1 ms per request here, which dominated the emulator's time per write.
 */
const readRaw = (
  request: HttpServerRequest.HttpServerRequest,
  rawLimit: number
): Effect.Effect<Raw, ApiError.ApiError> => {
  const cap = Math.max(drainCap, rawLimit)
  const source: unknown = request.source
  if (source instanceof Request) {
    const body = source.body
    if (body === null) return Effect.succeed({ chunks: [], size: 0 })
    return Effect.tryPromise({
      try: async (signal) => {
        const acc: Raw = { chunks: [], size: 0 }
        const reader = body.getReader()
        try {
          while (acc.size <= cap && !signal.aborted) {
            const { done, value } = await reader.read()
            if (done) break
            collect(acc, value, rawLimit)
          }
        } finally {
          reader.releaseLock()
        }
        return acc
      },
      catch: readError
    })
  }
  if (source instanceof Readable) {
    return Effect.tryPromise({
      try: async (signal) => {
        const acc: Raw = { chunks: [], size: 0 }
        for await (const chunk of source) {
          collect(acc, chunk instanceof Uint8Array ? chunk : new TextEncoder().encode(String(chunk)), rawLimit)
          if (acc.size > cap || signal.aborted) break
        }
        return acc
      },
      catch: readError
    })
  }
  return Stream.runFoldWhile(
    request.stream,
    { chunks: [], size: 0 } as Raw,
    (acc) => acc.size <= cap,
    (acc, chunk) => {
      collect(acc, chunk, rawLimit)
      return acc
    }
  ).pipe(Effect.mapError(readError))
}

/**
 * The body as bytes, decompressed, or the error answer: 415 for an unknown encoding, 413
 * over the limit, 400 for a body that does not decompress.
 *
 * @internal
 */
export const read = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Uint8Array, ApiError.ApiError> =>
  Effect.gen(function*() {
    const encoding = yield* parseEncoding(request.headers["content-encoding"])
    const declared = Number(request.headers["content-length"] ?? Number.NaN)
    if (encoding === "identity" && Number.isFinite(declared) && declared > limit) {
      return yield* Effect.fail(ApiError.requestTooLarge(request.method, limit, declared))
    }
    const rawLimit = encoding === "identity" ? limit : limit + Math.ceil(limit / 100) + 65_536
    const raw = yield* readRaw(request, rawLimit)
    if (raw.size > rawLimit) {
      return yield* Effect.fail(ApiError.requestTooLarge(request.method, limit, raw.size))
    }
    const bytes = concat(raw.chunks, raw.size)
    return encoding === "identity" ? bytes : yield* decompress(encoding, bytes, request.method, limit)
  })

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `limit`. Iterative, so a
 * hostile depth cannot overflow the stack.
 */
const tooDeep = (value: unknown, limit: number): boolean => {
  const stack: Array<readonly [unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== "object" || current === null) continue
    if (depth > limit) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}

/**
 * The body as a JSON object (`{}` when empty), or the 400 that says why not: not sent as JSON,
 * not JSON, not an object, or nested deeper than `Limits.maxRequestDepth` (its answer could
 * not be read back).
 *
 * @internal
 */
export const readJson = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<object, ApiError.ApiError> =>
  Effect.gen(function*() {
    const bytes = yield* read(request, limit)
    if (bytes.length === 0) return {}
    const contentType = (request.headers["content-type"] ?? "").toLowerCase()
    if (!contentType.includes("json")) {
      return yield* Effect.fail(
        ApiError.invalidInput(
          `The request body must be JSON sent with "Content-Type: application/json", got ${
            JSON.stringify(contentType)
          }.`
        )
      )
    }
    const text = new TextDecoder().decode(bytes)
    const parsed = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) =>
        ApiError.invalidInput(
          `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`
        )
    })
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return yield* Effect.fail(ApiError.invalidInput("The request body must be a JSON object."))
    }
    if (tooDeep(parsed, Limits.maxRequestDepth)) {
      return yield* Effect.fail(
        ApiError.invalidInput(
          `The request body nests arrays and objects deeper than ${Limits.maxRequestDepth} levels; nothing was stored.`
        )
      )
    }
    return parsed
  })
