/**
 * Contract operations made callable, once per service: without a body (`call`), with one
 * (`send`), `PUT` with its `POST` alias (`update`), a create that recognises its own earlier
 * success when a retry meets "already exists" (`create`), a body of bytes (`upload`) and an
 * answer read as a stream (`open`). Each one's error type is
 * `ApifyError.ErrorOf` its operation.
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import * as HttpBody from "@effect/platform/HttpBody"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type * as ApifyError from "../ApifyError.js"
import type { PreparedBody } from "./body.js"
import * as Endpoint from "./endpoint.js"
import type { Engine } from "./engine.js"
import type { Opened } from "./opened.js"
import { pathOf } from "./path.js"
import { noPayloadTooLarge, recoverCreate } from "./service.js"

type Answer<O> = Operation.AnswerOf<O>

/**
 * An operation without a body: its arguments are its path parameters, in order.
 *
 * @internal
 */
export const call = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  return (...args: ReadonlyArray<string>): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O>> =>
    engine.execute(endpoint, path(...args))
}

/**
 * `call` with a query string (`?...` or `""`) after the path.
 *
 * @internal
 */
export const callWithQuery = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  return (query: string, ...args: ReadonlyArray<string>): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O>> =>
    engine.execute(endpoint, path(...args) + query)
}

/**
 * `callWithQuery` of a read of one record by the ID its last path argument gives: an answer
 * for another record (`idOf` it) is a `DecodeError` naming both IDs.
 *
 * @internal
 */
export const callForId = <O extends Operation.Operation>(
  engine: Engine,
  operation: O,
  record: string,
  idOf: (answer: Answer<O>) => string
) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  return (query: string, ...args: ReadonlyArray<string>): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O>> => {
    const id = args[args.length - 1]
    const own = Endpoint.checked(endpoint, ["data", "id"], (answer) => {
      const got = idOf(answer)
      return got === id ? undefined : `the answer is for ${record} ${JSON.stringify(got)}, not ${JSON.stringify(id)}`
    })
    return engine.execute(own, path(...args) + query)
  }
}

/**
 * The body of `operation`, checked and ready to send, when the effect runs (not when it is
 * made: an update made together with its fallback create must not encode the body twice).
 * When the operation declares no 413, a body over the limit cannot happen by construction and
 * would be a bug: `InvalidRequest`.
 *
 * @internal
 */
const prepare = (engine: Engine, operation: Operation.Operation) => {
  const schema = operation.request ?? Schema.Undefined
  const encode = Schema.encodeEither(schema, { errors: "all" })
  const bounded = (operation.errors as ReadonlyArray<number>).includes(413)
  return (path: string, body: unknown) => {
    const prepared = Effect.suspend(() => engine.prepareBody(encode, body, operation.method, path))
    return bounded ? prepared : noPayloadTooLarge(prepared)
  }
}

/**
 * An operation with a body: `args` are its path parameters.
 *
 * @internal
 */
export const send = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  const body = prepare(engine, operation)
  return (args: ReadonlyArray<string>, value: unknown): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O>> => {
    const target = path(...args)
    return Effect.flatMap(
      body(target, value),
      (prepared) => engine.execute(endpoint, target, prepared)
    ) as Effect.Effect<
      Answer<O>,
      ApifyError.ErrorOf<O>
    >
  }
}

/**
 * An update sent as `PUT`, or as the API's `POST` alias when asked.
 *
 * @internal
 */
export const update = <P extends Operation.Operation, Q extends Operation.Operation>(
  engine: Engine,
  put: P,
  post: Q
) => {
  const viaPut = send(engine, put)
  const viaPost = send(engine, post)
  return (
    args: ReadonlyArray<string>,
    value: unknown,
    usePost: boolean | undefined
  ): Effect.Effect<Answer<P>, ApifyError.ErrorOf<P> | ApifyError.ErrorOf<Q>> =>
    usePost === true ? viaPost(args, value) as Effect.Effect<Answer<P>, ApifyError.ErrorOf<Q>> : viaPut(args, value)
}

/**
 * A create. When an earlier attempt's answer was lost and the retry meets the conflict
 * `isConflict` recognises, `readBack` reads the stored record (with its raw JSON) and it is
 * returned if it holds what was sent; otherwise the conflict is returned.
 *
 * @internal
 */
export const create = <O extends Operation.Operation, C extends ApifyError.HttpError, R>(
  engine: Engine,
  operation: O,
  isConflict: (u: unknown) => u is C,
  readBack: (sent: unknown, conflict: C, args: ReadonlyArray<string>) => Effect.Effect<readonly [unknown, Answer<O>], R>
) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  const body = prepare(engine, operation)
  return (
    args: ReadonlyArray<string>,
    value: unknown
  ): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O> | Exclude<R, ApifyError.NotFound>> => {
    const target = path(...args)
    return Effect.flatMap(body(target, value), (prepared) =>
      engine.execute(endpoint, target, prepared).pipe(
        Effect.catchIf(
          (error): error is C & ApifyError.ErrorOf<O> => isConflict(error) && error.attempts > 1,
          (conflict) => recoverCreate(conflict, prepared.json, readBack(prepared.json, conflict, args))
        )
      )) as Effect.Effect<Answer<O>, ApifyError.ErrorOf<O> | Exclude<R, ApifyError.NotFound>>
  }
}

/**
 * The read of a record together with its raw JSON, for `create`'s `readBack`.
 *
 * @internal
 */
export const callWithRaw = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.withRaw(operation)
  const path = pathOf(operation)
  return (
    ...args: ReadonlyArray<string>
  ): Effect.Effect<readonly [unknown, Answer<O>], ApifyError.ErrorFor<unknown, Operation.StatusesOf<O>>> =>
    engine.execute(endpoint, path(...args))
}

/**
 * An operation whose answer is read as a stream (`answerFormat` `text` or `bytes`): the
 * request is tied to the caller's `Scope`. `query` is `?...` or `""`.
 *
 * @internal
 */
export const open = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation) as Endpoint.Endpoint<void, Operation.StatusesOf<O>>
  const path = pathOf(operation)
  return (query: string, ...args: ReadonlyArray<string>): Effect.Effect<Opened, ApifyError.ErrorOf<O>, Scope.Scope> =>
    engine.open(endpoint, path(...args) + query) as Effect.Effect<Opened, ApifyError.ErrorOf<O>, Scope.Scope>
}

/**
 * `open` of a whole URL (`Engine.openUrl`): the token only to the API's origin.
 *
 * @internal
 */
export const openUrl = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation) as Endpoint.Endpoint<void, Operation.StatusesOf<O>>
  return (url: URL): Effect.Effect<Opened, ApifyError.ErrorOf<O>, Scope.Scope> =>
    engine.openUrl(endpoint, url) as Effect.Effect<Opened, ApifyError.ErrorOf<O>, Scope.Scope>
}

/**
 * A body sent as it is (`requestFormat` `bytes`): bytes, or a stream of them with its length.
 * A stream is run once per attempt: a retry runs it again.
 *
 * @internal
 */
export type Upload =
  | { readonly bytes: Uint8Array; readonly contentType: string }
  | {
    readonly stream: Stream.Stream<Uint8Array, unknown>
    readonly contentLength: number
    readonly contentType: string
  }

const uploadBody = (upload: Upload): PreparedBody =>
  "bytes" in upload
    ? {
      body: HttpBody.uint8Array(upload.bytes, upload.contentType),
      encoding: undefined,
      json: undefined,
      size: upload.bytes.length,
      secrets: []
    }
    : {
      body: HttpBody.stream(upload.stream, upload.contentType, upload.contentLength),
      encoding: undefined,
      json: undefined,
      size: upload.contentLength,
      secrets: []
    }

/**
 * An operation whose body is sent as it is: `args` are its path parameters.
 *
 * @internal
 */
export const upload = <O extends Operation.Operation>(engine: Engine, operation: O) => {
  const endpoint = Endpoint.make(operation)
  const path = pathOf(operation)
  return (args: ReadonlyArray<string>, body: Upload): Effect.Effect<Answer<O>, ApifyError.ErrorOf<O>> =>
    engine.execute(endpoint, path(...args), uploadBody(body))
}
