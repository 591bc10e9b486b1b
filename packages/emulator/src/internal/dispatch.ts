/**
 * From a request to an operation of the contract and its answer: the route and the methods it
 * allows come from `Contract`; then the token, the rate limit, the resources the path names,
 * the body decoded with the operation's request schema, and the operation's handler.
 *
 * @internal
 */
import { Contract, Issue, Operation } from "@effect-apify/domain"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { User } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as Body from "./body.js"
import * as DeployHandlers from "./deployHandlers.js"
import type * as Handler from "./handler.js"
import * as Handlers from "./handlers.js"
import type { Bucket, Internals } from "./internals.js"
import * as State from "./state.js"
import * as Target from "./target.js"

type Parameters = Contract.Match["parameters"]

/** The order the `Allow` header lists methods in. */
const methodOrder: { readonly [M in Operation.Method]: number } = { GET: 0, PUT: 1, POST: 2, DELETE: 3 }

/**
 * The methods a route of the contract allows, as the `Allow` header lists them: `OPTIONS`,
 * then the contract's methods for the route.
 *
 * @internal
 */
export const allowedMethods = (route: string): ReadonlyArray<string> => [
  "OPTIONS",
  ...[...Contract.allowedMethods(route)].sort((a, b) => methodOrder[a] - methodOrder[b])
]

const names = Object.keys(Contract.operations) as ReadonlyArray<Handlers.Name>

/** Route, then method, to the operation's name. */
const byRoute: ReadonlyMap<string, ReadonlyMap<string, Handlers.Name>> = new Map(
  Contract.routes.map((route) => [
    route,
    new Map(
      names.filter((name) => Contract.operations[name].path === route).map((name) => [
        Contract.operations[name].method,
        name
      ])
    )
  ])
)

// ---------------------------------------------------------------------------
// answers
// ---------------------------------------------------------------------------

/** @internal */
export const errorResponse = (error: ApiError.ApiError) =>
  HttpServerResponse.unsafeJson(
    { error: { type: error.type, message: error.message } },
    { status: error.status, headers: { ...error.headers } }
  )

// ---------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------

const tokenOf = (request: HttpServerRequest.HttpServerRequest, query: URLSearchParams): string | undefined => {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (match !== null && match[1] !== undefined) return match[1].trim()
  }
  return query.get("token") ?? undefined
}

const rateLimitCheck = (internals: Internals, key: string) =>
  Effect.gen(function*() {
    const limit = yield* Ref.get(internals.rateLimit)
    if (limit === false) return
    const now = yield* Clock.currentTimeMillis
    const allowedNow = yield* Ref.modify(
      internals.buckets,
      (buckets: HashMap.HashMap<string, Bucket>): readonly [boolean, HashMap.HashMap<string, Bucket>] => {
        const bucket = Option.getOrElse(HashMap.get(buckets, key), () => ({ tokens: limit.perSecond, at: now }))
        const tokens = Math.min(limit.perSecond, bucket.tokens + ((now - bucket.at) * limit.perSecond) / 1000)
        return tokens >= 1 ?
          [true, HashMap.set(buckets, key, { tokens: tokens - 1, at: now })] :
          [false, HashMap.set(buckets, key, { tokens, at: now })]
      }
    )
    if (!allowedNow) return yield* Effect.fail(ApiError.rateLimitExceeded(limit.perSecond))
  })

/** Per Actor, or per user for the routes that name none. */
const rateKey = (current: State.State, user: User, parameters: Parameters): string =>
  parameters.actorId === undefined ?
    `user:${user.id}` :
    `actor:${
      Option.match(State.findActor(current, parameters.actorId), {
        onNone: () => State.normalizeActorRef(parameters.actorId!),
        onSome: (actor) => actor.id
      })
    }`

/** The resources the path names exist and the user may use them, before the body is read. */
const precheck = (
  s: State.State,
  user: User,
  name: Handlers.Name,
  { actorId, envVarName, versionNumber }: Parameters
): Either.Either<void, ApiError.ApiError> => {
  if (actorId === undefined) return Either.void
  const access: State.Access = Handlers.publicReads.has(name) ? "read" : "write"
  return Either.flatMap(State.resolveActor(s, user, actorId, access), () => {
    if (versionNumber === undefined) return Either.void
    const found: Either.Either<unknown, ApiError.ApiError> = envVarName === undefined ?
      State.getVersion(s, user, actorId, versionNumber) :
      State.getEnvVar(s, user, actorId, versionNumber, envVarName)
    return Either.map(found, () => undefined)
  })
}

const decode = (schema: Schema.Schema.AnyNoContext, input: unknown) =>
  Schema.decodeUnknown(schema)(input, { errors: "all" }).pipe(
    Effect.mapError((error) => ApiError.invalidInput(Issue.summary(error)))
  )

// ---------------------------------------------------------------------------
// dispatch
// ---------------------------------------------------------------------------

const answer = <K extends Handlers.Name>(
  request: HttpServerRequest.HttpServerRequest,
  internals: Internals,
  name: K,
  match: Contract.Match,
  query: URLSearchParams
): Effect.Effect<HttpServerResponse.HttpServerResponse, ApiError.ApiError> =>
  Effect.gen(function*() {
    const operation: Operation.Operation = Contract.operations[name]
    const token = tokenOf(request, query)
    const tokenless = DeployHandlers.tokenless.has(name)
    if ((token === undefined || token === "") && !tokenless) return yield* Effect.fail(ApiError.tokenMissing)
    const user = token === undefined || token === "" ?
      DeployHandlers.anonymous :
      internals.users.find((u) => u.token === token)
    if (user === undefined) return yield* Effect.fail(ApiError.tokenNotValid)

    const current = yield* Ref.get(internals.state)
    yield* rateLimitCheck(internals, rateKey(current, user, match.parameters))
    yield* precheck(current, user, name, match.parameters)

    const body = operation.request === undefined ?
      undefined :
      yield* decode(operation.request, yield* Body.readJson(request, internals.maxBodyBytes))
    const upload = operation.requestFormat === "bytes" ?
      {
        bytes: yield* Body.read(request, internals.maxRecordBytes),
        contentType: request.headers["content-type"] ?? "application/octet-stream"
      } :
      undefined
    const origin = Option.getOrElse(yield* FiberRef.get(Target.currentOrigin), () => "")
    // the route matched gives every parameter of its operations, and `body` was decoded with the
    // operation's own request schema
    const input = { user, current, parameters: match.parameters, body, upload, query, origin } as Handlers.Input<
      (typeof Contract.operations)[K]
    >
    const answered: unknown = yield* Handlers.handlers[name](internals, input)
    if (answered !== undefined && (answered as Partial<Handler.Raw>).raw !== undefined) {
      return (answered as Handler.Raw).raw
    }
    if (operation.success === 204) return HttpServerResponse.empty({ status: 204 })
    const { apiLocation, data, location, status } = answered as {
      readonly data: unknown
      readonly location?: string
      readonly apiLocation?: string
      readonly status?: number
    }
    const at = location !== undefined ?
      `${origin}${match.prefix}${location}` :
      apiLocation !== undefined ?
      `${origin}${Operation.bases.api[0]}${apiLocation}` :
      undefined
    return HttpServerResponse.unsafeJson({ data }, {
      status: status ?? operation.success,
      headers: at === undefined ? {} : { location: at }
    })
  })

/**
 * Answers a request the contract has a route for; `page-not-found` when it has none.
 *
 * @internal
 */
export const dispatch = (
  request: HttpServerRequest.HttpServerRequest,
  internals: Internals
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const target = Target.pathAndQuery(request.url)
  const q = target.indexOf("?")
  const match = Contract.match(q === -1 ? target : target.slice(0, q))
  if (match === undefined) return Effect.succeed(errorResponse(ApiError.pageNotFound))
  const query = new URLSearchParams(q === -1 ? "" : target.slice(q + 1))
  const method = request.method.toUpperCase()
  const methods = allowedMethods(match.route)
  if (method === "OPTIONS") {
    return Effect.succeed(HttpServerResponse.empty({
      status: 204,
      headers: { allow: methods.join(", "), "access-control-allow-methods": methods.join(",") }
    }))
  }
  const name = byRoute.get(match.route)?.get(method)
  if (name === undefined) return Effect.succeed(errorResponse(ApiError.methodNotAllowed(methods)))
  return answer(request, internals, name, match, query).pipe(
    Effect.catchTag("ApiError", (error) => Effect.succeed(errorResponse(error)))
  )
}
