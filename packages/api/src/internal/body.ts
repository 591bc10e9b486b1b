/**
 * Request bodies: encoded strictly with the operation's schema, refused when they break the
 * API's rules or pass its size limit, compressed when large enough.
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import { Issue, Limits, Redaction } from "@effect-apify/domain"
import * as HttpBody from "@effect/platform/HttpBody"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as ApifyError from "../ApifyError.js"
import { causeText } from "./causeText.js"
import * as Compress from "./compress.js"

/**
 * A request body that passed the checks and is ready to send (possibly compressed).
 *
 * @internal
 */
export interface PreparedBody {
  readonly body: HttpBody.HttpBody
  /** The `Content-Encoding`, when compressed. */
  readonly encoding: string | undefined
  /** The JSON as sent, before compression: for the recovery of a retried create. */
  readonly json: unknown
  /** The size before compression, in bytes. */
  readonly size: number
  /** The secret values it carries (`isSecret: true`), to scrub out of any answer to it. */
  readonly secrets: ReadonlyArray<string>
}

/**
 * How bodies are compressed; `undefined` sends every body as it is.
 *
 * @internal
 */
export interface Compression {
  readonly threshold: number
  readonly encoding: Compress.Encoding
  readonly level: number
}

/**
 * What `prepare` needs from the client.
 *
 * @internal
 */
export interface Settings {
  readonly compression: Compression | undefined
  /** The secrets of every request (the token). */
  readonly secrets: ReadonlyArray<string>
}

const textEncoder = new TextEncoder()

const json = (bytes: Uint8Array) => HttpBody.uint8Array(bytes, "application/json")

/**
 * Encodes `value` with `encode`, refuses it (`InvalidRequest` naming the field, or
 * `PayloadTooLarge` with both sizes) or makes it ready to send. `path` is the path as errors
 * show it.
 *
 * @internal
 */
export const prepare = <A, I>(
  settings: Settings,
  encode: (value: A) => Either.Either<I, ParseResult.ParseError>,
  value: A,
  method: Operation.Method,
  path: string
): Effect.Effect<PreparedBody, ApifyError.InvalidRequest | ApifyError.PayloadTooLarge> => {
  const secrets = Redaction.secretsIn(value)
  const encoded = encode(value)
  if (Either.isLeft(encoded)) {
    const scrub = Redaction.scrubber([...settings.secrets, ...secrets])
    return Effect.fail(new ApifyError.InvalidRequest({ detail: scrub(Issue.summary(encoded.left)), method, path }))
  }
  const sent = encoded.right
  let text: string
  try {
    // Schema fields typed `unknown` (e.g. pricing infos) could hold what JSON cannot.
    text = JSON.stringify(sent)
  } catch (cause) {
    return Effect.fail(
      new ApifyError.InvalidRequest({ detail: `the body cannot be written as JSON: ${causeText(cause)}`, method, path })
    )
  }
  const bytes = textEncoder.encode(text)
  const size = bytes.length
  if (size > Limits.maxRequestBodyBytes) {
    return Effect.fail(
      new ApifyError.PayloadTooLarge({
        status: 413,
        type: ApifyError.Types.requestTooLarge,
        apifyMessage:
          `The request body is ${size} bytes, over the API's limit of ${Limits.maxRequestBodyBytes} bytes; not sent`,
        method,
        path,
        attempts: 0,
        limitBytes: Limits.maxRequestBodyBytes,
        actualBytes: size
      })
    )
  }
  const compression = settings.compression
  const plain: PreparedBody = { body: json(bytes), encoding: undefined, json: sent, size, secrets }
  if (compression === undefined || size < compression.threshold) return Effect.succeed(plain)
  return Effect.map(
    Compress.compress(bytes, compression.encoding, compression.level),
    (compressed): PreparedBody =>
      Option.isSome(compressed) && compressed.value.length < size
        ? { body: json(compressed.value), encoding: compression.encoding, json: sent, size, secrets }
        : plain
  )
}
