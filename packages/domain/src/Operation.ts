/**
 * What an operation of the API is: method, route below the path prefix, path parameters,
 * request and answer schemas, success status and declared error statuses. The operations
 * themselves are declared in `Contract`.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import * as ActorId from "./ActorId.js"
import * as Build from "./Build.js"
import * as EnvVar from "./EnvVar.js"
import * as KeyValueStore from "./KeyValueStore.js"
import * as VersionNumber from "./VersionNumber.js"

/**
 * The path prefixes the Actor operations answer on. The API reference documents the first;
 * Apify's newer clients use the second.
 *
 * @since 0.1.0
 */
export const prefixes = ["/v2/acts", "/v2/actors"] as const

/**
 * Where an operation's route is, and the prefixes each place answers on: `actors` below the
 * Actor collection (`prefixes`; the client's `pathPrefix` picks one), `api` below the API's
 * root `/v2` (builds, logs, key-value stores).
 *
 * @since 0.1.0
 */
export const bases = {
  actors: prefixes,
  api: ["/v2"]
} as const

/**
 * The name of a route base (`actors` for `/v2/acts` and `/v2/actors`, `api` for `/v2`).
 *
 * @since 0.1.0
 */
export type Base = keyof typeof bases

/**
 * A path prefix of any base.
 *
 * @since 0.1.0
 */
export type Prefix = (typeof bases)[Base][number]

/**
 * What a request body is: JSON checked with the operation's `request` schema, or bytes sent
 * as they are with their own content type (a record's value).
 *
 * @since 0.1.0
 */
export type RequestFormat = "json" | "bytes"

/**
 * What a success answer is: `{data: ...}` JSON decoded with the operation's `answer` schema
 * (or nothing for 204), text (a log), or bytes with their content type (a record's value).
 *
 * @since 0.1.0
 */
export type AnswerFormat = "json" | "text" | "bytes"

/**
 * The HTTP methods of the operations.
 *
 * @since 0.1.0
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/**
 * The error statuses an operation may declare.
 *
 * @since 0.1.0
 */
export type ErrorStatus = 400 | 403 | 404 | 405 | 413 | 415

/**
 * The statuses every operation may answer with besides its own (and any 5xx): 401 for a
 * missing or unknown token, 429 over the rate limit.
 *
 * @since 0.1.0
 */
export const commonStatuses = [401, 429] as const

/**
 * The path parameters and the schema each is checked with.
 *
 * @since 0.1.0
 */
export const pathParameters = {
  actorId: ActorId.ActorIdString,
  versionNumber: VersionNumber.VersionNumber,
  envVarName: EnvVar.EnvVarName,
  buildId: Build.BuildId,
  storeId: KeyValueStore.StoreId,
  recordKey: KeyValueStore.RecordKey
} as const

/**
 * A path parameter's name.
 *
 * @since 0.1.0
 */
export type PathParameter = keyof typeof pathParameters

/**
 * The parameters of a route template, e.g. `"actorId" | "versionNumber"` for
 * `/:actorId/versions/:versionNumber`.
 *
 * @since 0.1.0
 */
export type ParametersOf<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParametersOf<`/${Rest}`>
  : Path extends `${string}:${infer Name}` ? Name
  : never

/**
 * One operation of the API.
 *
 * @since 0.1.0
 */
export interface Operation<
  Path extends string = string,
  Request extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Answer extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  S extends ErrorStatus = ErrorStatus
> {
  /** `Service.method`, e.g. `ActorVersions.get`: the span and the retry events carry it. */
  readonly name: string
  readonly method: Method
  /** Which prefixes `path` is below. */
  readonly base: Base
  /** The route below the path prefix, parameters as `:name`; `""` is the prefix itself. */
  readonly path: Path
  /** The route's parameters, in order. */
  readonly parameters: ReadonlyArray<ParametersOf<Path> & PathParameter>
  /** The JSON body, when the operation takes one. */
  readonly request: Request
  /** `bytes` for a body sent as it is (then `request` is `undefined`). */
  readonly requestFormat: RequestFormat
  /** The query, when the operation reads one. */
  readonly query: Schema.Schema.AnyNoContext | undefined
  /** The `data` of the answer; `undefined` for a 204 without body, or a text or bytes answer. */
  readonly answer: Answer
  readonly answerFormat: AnswerFormat
  readonly success: 200 | 201 | 204
  /** The error statuses the operation declares, besides `commonStatuses` and 5xx. */
  readonly errors: ReadonlyArray<S>
  /** For an alias (the `POST` that updates like `PUT`): the name of the operation it mirrors. */
  readonly aliasOf: string | undefined
  /**
   * Whether sending the request again after its answer was lost is safe: a `GET` or `PUT`, a
   * `DELETE` (whose repeat meets "not found", which the client takes as its own earlier success),
   * an abort, or a create whose repeat meets "already exists" (the client recognises its own
   * earlier success). One that is not (each `POST .../builds` starts a build) is sent
   * again only when the failure shows that it never reached the API: a 429, or a connection
   * that was refused or a host not found.
   */
  readonly idempotent: boolean
}

/**
 * The `data` type an operation answers with (`void` for 204).
 *
 * @since 0.1.0
 */
export type AnswerOf<O> = O extends Operation<string, Schema.Schema.AnyNoContext | undefined, infer A, ErrorStatus>
  ? A extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<A> : void
  : never

/**
 * The error statuses an operation declares.
 *
 * @since 0.1.0
 */
export type StatusesOf<O> = O extends
  Operation<string, Schema.Schema.AnyNoContext | undefined, Schema.Schema.AnyNoContext | undefined, infer S> ? S
  : never

const parameterNames = (path: string): Array<PathParameter> =>
  [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as PathParameter)

/**
 * Declares an operation; its parameters are read from `path`.
 *
 * @since 0.1.0
 */
export const make = <
  const Path extends string,
  Request extends Schema.Schema.AnyNoContext | undefined,
  Answer extends Schema.Schema.AnyNoContext | undefined,
  const S extends ErrorStatus
>(options: {
  readonly name: string
  readonly method: Method
  /** Default `actors`. */
  readonly base?: Base | undefined
  readonly path: Path & (ParametersOf<Path> extends PathParameter ? unknown : never)
  readonly request: Request
  /** Default `json`. */
  readonly requestFormat?: RequestFormat | undefined
  readonly query?: Schema.Schema.AnyNoContext | undefined
  readonly answer: Answer
  /** Default `json`. */
  readonly answerFormat?: AnswerFormat | undefined
  readonly success: 200 | 201 | 204
  readonly errors: ReadonlyArray<S>
  readonly aliasOf?: string | undefined
  /** Default: `true` for every method but `POST`. */
  readonly idempotent?: boolean | undefined
}): Operation<Path, Request, Answer, S> => ({
  name: options.name,
  method: options.method,
  base: options.base ?? "actors",
  path: options.path,
  parameters: parameterNames(options.path) as Array<ParametersOf<Path> & PathParameter>,
  request: options.request,
  requestFormat: options.requestFormat ?? "json",
  query: options.query,
  answer: options.answer,
  answerFormat: options.answerFormat ?? "json",
  success: options.success,
  errors: options.errors,
  aliasOf: options.aliasOf,
  idempotent: options.idempotent ?? options.method !== "POST"
})
