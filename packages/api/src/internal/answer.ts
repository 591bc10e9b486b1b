/**
 * The one bounded reader of answer bodies, the same on every transport (`NodeHttpClient.layer`,
 * `NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, `UndiciHttpClient.layer`, the
 * emulator's in-memory client).
 *
 * The body is read as a stream and counted as it arrives: past `max` bytes the reading stops
 * at once (the attempt's scope then aborts the request). What is counted is what the transport
 * hands over: on `fetch` that is after decompression, so a gzip bomb stops at `max`
 * decompressed bytes; on `node:http` and undici nothing is decompressed (the client asks for
 * none), so a compressed answer is at most `max` bytes and is then "not JSON". Only an answer
 * whose `Content-Length` is within `max` and that declares no `Content-Encoding` is read in one
 * piece, since the transport then cannot hand over more than its length.
 *
 * A success answer is then parsed and decoded (`decode`), an error answer becomes the error
 * its status stands for (`httpError`).
 *
 * @internal
 */
import { Envelope, Issue } from "@effect-apify/domain"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ApifyError from "../ApifyError.js"
import { causeText } from "./causeText.js"
import * as NodeBody from "./nodeBody.js"
import { UndiciResponse } from "./undiciResponse.js"
import * as WebBody from "./webBody.js"

/** The deepest nesting of arrays and objects a decoded answer may have. */
export const maxDepth = 512

/** An answer body: its text, or that it is over the limit (and how much was seen). */
export type Answer =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge"; readonly bytes: number }

const tooLarge = (bytes: number): Answer => ({ _tag: "TooLarge", bytes })

class Overflow {
  readonly _tag = "Overflow"
  constructor(readonly bytes: number) {}
}

const decoder = new TextDecoder()

const join = (parts: ReadonlyArray<Uint8Array>, size: number): string => {
  if (parts.length === 1) return decoder.decode(parts[0])
  const all = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return decoder.decode(all)
}

/**
 * Reads the body of `response`, at most `max` bytes.
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  max: number
): Effect.Effect<Answer, HttpClientError.ResponseError> => {
  if (response.status === 204 || response.status === 304) return Effect.succeed({ _tag: "Text", text: "" })
  const length = Number(response.headers["content-length"] ?? Number.NaN)
  if (length > max) return Effect.succeed(tooLarge(length))
  const encoding = response.headers["content-encoding"]
  if (Number.isFinite(length) && (encoding === undefined || encoding === "identity")) {
    return Effect.map(response.text, (text): Answer => ({ _tag: "Text", text }))
  }
  if (response instanceof UndiciResponse) {
    return Effect.map(
      response.read(max),
      ({ over, parts, size }): Answer => over ? tooLarge(size) : { _tag: "Text", text: join(parts, size) }
    )
  }
  const nodeBody = NodeBody.readable(response)
  const webBody = nodeBody === undefined ? WebBody.readable(response) : undefined
  if (nodeBody !== undefined || webBody !== undefined) {
    return Effect.map(
      nodeBody !== undefined ? NodeBody.read(response, nodeBody, max) : WebBody.read(response, webBody!, max),
      ({ over, parts, size }): Answer => over ? tooLarge(size) : { _tag: "Text", text: join(parts, size) }
    )
  }
  return Effect.suspend(() => {
    const parts: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEach(response.stream, (chunk) => {
      size += chunk.length
      if (size > max) return Effect.fail(new Overflow(size))
      parts.push(chunk)
      return Effect.void
    }).pipe(
      Effect.map((): Answer => ({ _tag: "Text", text: join(parts, size) })),
      Effect.catchIf((e): e is Overflow => e instanceof Overflow, (e) => {
        parts.length = 0
        return Effect.succeed(tooLarge(e.bytes))
      })
    )
  })
}

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `limit`. Iterative: a
 * hostile depth cannot overflow the stack here (the decoders and `JSON.stringify` recurse).
 */
export const tooDeep = (value: unknown, limit: number = maxDepth): boolean => {
  // two parallel stacks: the objects still to look into, and their depths
  const values: Array<object> = []
  const depths: Array<number> = []
  if (typeof value === "object" && value !== null) {
    values.push(value)
    depths.push(1)
  }
  while (values.length > 0) {
    const current = values.pop()!
    const depth = depths.pop()!
    if (depth > limit) return true
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const child: unknown = current[i]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    } else {
      for (const key in current) {
        const child: unknown = (current as Record<string, unknown>)[key]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    }
  }
  return false
}

// A text with at most `limit` opening brackets cannot nest deeper than `limit` (brackets in
// strings only add to the count). Counting them costs less than walking the parsed value on a
// short text (a list of 50 versions: 2 µs against 5); on a long one with few brackets the walk
// is the cheaper, and where they are many the count stops early.
const maxCountedText = 64 * 1024

const mayNestDeeper = (text: string, limit: number): boolean => {
  if (text.length > maxCountedText) return true
  let count = 0
  for (const bracket of ["[", "{"]) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > limit) return true
    }
  }
  return false
}

/**
 * Where an answer came from, for the errors made of it.
 *
 * @internal
 */
export interface Request {
  readonly method: string
  readonly path: string
  readonly attempts: number
  readonly scrub: (text: string) => string
}

const decodeError = (request: Request, status: number, detail: string) =>
  new ApifyError.DecodeError({
    status,
    detail,
    method: request.method,
    path: request.path,
    attempts: request.attempts
  })

/**
 * Parses and decodes a success answer's text (`undefined`: over `max` bytes).
 *
 * @internal
 */
export const decode = <A>(
  text: string | undefined,
  decoder: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  status: number,
  max: number,
  request: Request
): Either.Either<A, ApifyError.DecodeError> => {
  if (text === undefined) {
    return Either.left(
      decodeError(request, status, `the answer is over the client's limit of ${max} bytes (maxAnswerBytes)`)
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    // V8's message quotes the body (up to 10 characters either side of the fault, a short body whole)
    return Either.left(decodeError(request, status, `the body is not JSON (${request.scrub(causeText(cause))})`))
  }
  if (mayNestDeeper(text, maxDepth) && tooDeep(json)) {
    return Either.left(
      decodeError(request, status, `the body nests arrays and objects deeper than ${maxDepth} levels`)
    )
  }
  return Either.mapLeft(decoder(json), (error) => decodeError(request, status, request.scrub(Issue.summary(error))))
}

const readErrorBody = Schema.decodeUnknownOption(Envelope.ErrorBody)

const parseJson = (text: string): unknown => {
  try {
    return text === "" ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

// At most 1,000 characters of Apify's message, 200 of a body that is not an error envelope.
// Scrubbed before cutting (a cut secret is still a leak), over a window of the text twice the
// limit: past it nothing is shown, and a secret cut at its edge is scrubbed by its runs. The
// window is copied, not sliced: a V8 slice would keep the whole (possibly huge) body alive.
const scrubCut = (text: string, limit: number, scrub: (text: string) => string): string => {
  const window = text.length > 2 * limit ? [...text.slice(0, 2 * limit)].join("") : text
  const scrubbed = scrub(window)
  return scrubbed.length > limit || window !== text ? `${scrubbed.slice(0, limit)}...` : scrubbed
}

/**
 * The error an error answer stands for: its class from the status when the operation declares
 * it (`ApifyError.byStatus`), `Unauthorized` and `RateLimited` always, else `ServerError`.
 *
 * @internal
 */
export const httpError = (
  status: number,
  expected: ReadonlyArray<number>,
  text: string,
  retryAfter: number | undefined,
  request: Request
): ApifyError.HttpError => {
  const body = readErrorBody(parseJson(text))
  const scrub = request.scrub
  // scrubbed too: a proxy that echoes the request may put the Authorization header anywhere
  const type = Option.isSome(body)
    ? scrubCut(body.value.error.type, 200, scrub)
    : status >= 500
    ? "server-error"
    : "unknown-error"
  const apifyMessage = Option.isSome(body)
    ? scrubCut(body.value.error.message, 1000, scrub)
    : scrubCut(text, 200, scrub)
  const fields = { status, type, apifyMessage, method: request.method, path: request.path, attempts: request.attempts }
  if (status === 401) return new ApifyError.Unauthorized(fields)
  if (status === 429) return new ApifyError.RateLimited({ ...fields, retryAfterMillis: retryAfter })
  if (expected.includes(status) && status in ApifyError.byStatus) {
    return new ApifyError.byStatus[status as keyof typeof ApifyError.byStatus](fields)
  }
  return new ApifyError.ServerError({
    ...fields,
    type: status >= 500 || Option.isSome(body) ? type : "unexpected-status",
    retryAfterMillis: retryAfter
  })
}
