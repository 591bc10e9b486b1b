/**
 * An endpoint: one contract operation made ready to send, built once per service. Its error
 * statuses and its answer decoder come from the operation.
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import { Envelope } from "@effect-apify/domain"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as FastDecode from "./fastDecode.js"
import * as Received from "./received.js"

/**
 * One endpoint's fixed part: the operation's name, method and declared error statuses, and how
 * to decode its success body (`undefined` for a 204 without body).
 *
 * @internal
 */
export interface Endpoint<A, S extends Operation.ErrorStatus> {
  readonly operation: string
  readonly method: Operation.Method
  /** Which prefix the request path is below. */
  readonly base: Operation.Base
  readonly expected: ReadonlyArray<S>
  /** Whether a request that may have reached the API can be sent again (`Operation.idempotent`). */
  readonly idempotent: boolean
  /**
   * Whether "this record does not exist", met after an earlier attempt may have reached the
   * API, means that attempt did the work and its answer was lost: a `DELETE` (without an
   * answer body), which then succeeds.
   */
  readonly doneIfGone: boolean
  readonly decode: ((json: unknown) => Either.Either<A, ParseResult.ParseError>) | undefined
}

/**
 * Pairs a decoded value with the JSON it was decoded from, and its nested records with
 * theirs (same keys, same array positions).
 *
 * @internal
 */
export const remember = (decoded: unknown, raw: unknown): void => {
  if (typeof decoded !== "object" || decoded === null || typeof raw !== "object" || raw === null) return
  if (!Object.isExtensible(decoded)) return
  Received.set(decoded, raw)
  if (Array.isArray(decoded)) {
    if (Array.isArray(raw) && raw.length === decoded.length) {
      for (let i = 0; i < decoded.length; i++) remember(decoded[i], raw[i])
    }
    return
  }
  for (const key of Object.keys(decoded)) {
    const value: unknown = (decoded as Record<string, unknown>)[key]
    if (typeof value === "object" && value !== null && Object.hasOwn(raw, key)) {
      remember(value, (raw as Record<string, unknown>)[key])
    }
  }
}

/**
 * The JSON a decoded record came from, or `undefined`.
 *
 * @internal
 */
export const receivedData = (record: object): unknown => Received.get(record)

/**
 * The endpoint of `operation`: its success body is `{data: ...}` decoded with the operation's
 * answer schema, and the raw `data` is remembered.
 *
 * @internal
 */
export const make = <O extends Operation.Operation>(
  operation: O
): Endpoint<Operation.AnswerOf<O>, Operation.StatusesOf<O>> => {
  const answer = operation.answer
  const decode = answer === undefined ? undefined : Schema.decodeUnknownEither(Envelope.Data(answer))
  const fast = FastDecode.forAnswer(answer)
  return {
    operation: operation.name,
    method: operation.method,
    base: operation.base,
    expected: operation.errors as ReadonlyArray<Operation.StatusesOf<O>>,
    idempotent: operation.idempotent,
    doneIfGone: operation.method === "DELETE" && answer === undefined,
    decode: decode === undefined ? undefined : (json) => {
      const raw = Predicate.hasProperty(json, "data") ? json.data : undefined
      // the fast path records the received data as it builds
      const quick = fast === undefined || raw === undefined ? undefined : fast(raw)
      if (quick !== undefined) return Either.right(quick as Operation.AnswerOf<O>)
      return Either.map(decode(json), ({ data }) => {
        remember(data, raw)
        return data as Operation.AnswerOf<O>
      })
    }
  }
}

/**
 * The endpoint of `operation` that also keeps the raw `data`, to compare a stored record with
 * what was sent.
 *
 * @internal
 */
export const withRaw = <O extends Operation.Operation>(
  operation: O
): Endpoint<readonly [unknown, Operation.AnswerOf<O>], Operation.StatusesOf<O>> => {
  const decode = Schema.decodeUnknownEither(operation.answer ?? Schema.Undefined)
  return {
    operation: operation.name,
    method: operation.method,
    base: operation.base,
    expected: operation.errors as ReadonlyArray<Operation.StatusesOf<O>>,
    idempotent: operation.idempotent,
    doneIfGone: false,
    decode: (json) => {
      const raw = Predicate.hasProperty(json, "data") ? json.data : undefined
      return Either.map(decode(raw), (a) => {
        remember(a, raw)
        return [raw, a as Operation.AnswerOf<O>] as const
      })
    }
  }
}

/**
 * `endpoint`, its decoded answer also checked by `check`: a problem it names fails the decoding
 * at `path` of the answer's JSON (then a `DecodeError`, like any answer that does not decode).
 *
 * @internal
 */
export const checked = <A, S extends Operation.ErrorStatus>(
  endpoint: Endpoint<A, S>,
  path: readonly [PropertyKey, ...Array<PropertyKey>],
  check: (answer: A) => string | undefined
): Endpoint<A, S> => {
  const decode = endpoint.decode
  return decode === undefined ? endpoint : {
    ...endpoint,
    decode: (json) =>
      Either.flatMap(decode(json), (answer) => {
        const problem = check(answer)
        return problem === undefined ? Either.right(answer) : Either.left(
          new ParseResult.ParseError({
            issue: new ParseResult.Pointer(path, json, new ParseResult.Type(Schema.Unknown.ast, answer, problem))
          })
        )
      })
  }
}
