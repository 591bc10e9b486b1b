/**
 * What an operation of the API is: method, route below the path prefix, path parameters,
 * request and answer schemas, success status and declared error statuses. The operations
 * themselves are declared in `Contract`.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import * as ActorId from "./ActorId.js"
import * as EnvVar from "./EnvVar.js"
import * as VersionNumber from "./VersionNumber.js"

/**
 * The path prefixes the API answers on. The API reference documents the first; Apify's newer
 * clients use the second.
 *
 * @since 0.1.0
 */
export const prefixes = ["/v2/acts", "/v2/actors"] as const

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
  envVarName: EnvVar.EnvVarName
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
  /** The route below the path prefix, parameters as `:name`; `""` is the prefix itself. */
  readonly path: Path
  /** The route's parameters, in order. */
  readonly parameters: ReadonlyArray<ParametersOf<Path> & PathParameter>
  /** The JSON body, when the operation takes one. */
  readonly request: Request
  /** The query, when the operation reads one. */
  readonly query: Schema.Schema.AnyNoContext | undefined
  /** The `data` of the answer; `undefined` for a 204 without body. */
  readonly answer: Answer
  readonly success: 200 | 201 | 204
  /** The error statuses the operation declares, besides `commonStatuses` and 5xx. */
  readonly errors: ReadonlyArray<S>
  /** For an alias (the `POST` that updates like `PUT`): the name of the operation it mirrors. */
  readonly aliasOf: string | undefined
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
  readonly path: Path & (ParametersOf<Path> extends PathParameter ? unknown : never)
  readonly request: Request
  readonly query?: Schema.Schema.AnyNoContext | undefined
  readonly answer: Answer
  readonly success: 200 | 201 | 204
  readonly errors: ReadonlyArray<S>
  readonly aliasOf?: string | undefined
}): Operation<Path, Request, Answer, S> => ({
  name: options.name,
  method: options.method,
  path: options.path,
  parameters: parameterNames(options.path) as Array<ParametersOf<Path> & PathParameter>,
  request: options.request,
  query: options.query,
  answer: options.answer,
  success: options.success,
  errors: options.errors,
  aliasOf: options.aliasOf
})
