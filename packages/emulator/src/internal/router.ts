/**
 * The one router behind both transports: an `HttpApp` that serves every endpoint of the
 * contract under `/v2/acts` and `/v2/actors`.
 *
 * @internal
 */
import { Actor, EnvVar, Issue, VersionRequest } from "@effect-apify/domain"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { RateLimitOptions, RequestRecord, User } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as Body from "./body.js"
import * as Faults from "./faults.js"
import * as Prng from "./prng.js"
import * as Store from "./store.js"
import * as Target from "./target.js"

interface Bucket {
  readonly tokens: number
  readonly at: number
}

/** @internal */
export interface Internals {
  readonly users: ReadonlyArray<User>
  readonly state: Ref.Ref<Store.State>
  readonly requests: Ref.Ref<number>
  readonly faults: Ref.Ref<Faults.FaultState>
  readonly rateLimit: Ref.Ref<RateLimitOptions | false>
  readonly buckets: Ref.Ref<HashMap.HashMap<string, Bucket>>
  readonly ids: Ref.Ref<number>
  readonly log: Ref.Ref<Chunk.Chunk<RequestRecord>>
  readonly maxBodyBytes: number
  readonly maxEnvVarsPerVersion: number
}

/**
 * The header a response carries when the transport must drop the connection instead of
 * answering. Never reaches a client.
 *
 * @internal
 */
export const dropHeader = "x-effect-apify-emulator-drop"

// ---------------------------------------------------------------------------
// routes
// ---------------------------------------------------------------------------

type Route =
  | { readonly _tag: "Actors" }
  | { readonly _tag: "Actor"; readonly actorId: string }
  | { readonly _tag: "Versions"; readonly actorId: string }
  | { readonly _tag: "Version"; readonly actorId: string; readonly versionNumber: string }
  | { readonly _tag: "EnvVars"; readonly actorId: string; readonly versionNumber: string }
  | { readonly _tag: "EnvVar"; readonly actorId: string; readonly versionNumber: string; readonly name: string }

const allowed: Record<Route["_tag"], ReadonlyArray<string>> = {
  Actors: ["OPTIONS", "GET", "POST"],
  Actor: ["OPTIONS", "GET", "DELETE"],
  Versions: ["OPTIONS", "GET", "POST"],
  Version: ["OPTIONS", "GET", "PUT", "POST", "DELETE"],
  EnvVars: ["OPTIONS", "GET", "POST"],
  EnvVar: ["OPTIONS", "GET", "PUT", "POST", "DELETE"]
}

interface Matched {
  readonly route: Route
  readonly prefix: string
  readonly query: URLSearchParams
}

const decodeSegment = (segment: string): Option.Option<string> => {
  try {
    return Option.some(decodeURIComponent(segment))
  } catch {
    return Option.none()
  }
}

const matchRoute = (url: string): Option.Option<Matched> => {
  const q = url.indexOf("?")
  const pathname = q === -1 ? url : url.slice(0, q)
  const query = new URLSearchParams(q === -1 ? "" : url.slice(q + 1))
  const raw = pathname.split("/").slice(1)
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop()
  const decoded: Array<string> = []
  for (const segment of raw) {
    const value = decodeSegment(segment)
    if (Option.isNone(value) || value.value === "") return Option.none()
    decoded.push(value.value)
  }
  const [v2, prefix, actorId, versions, versionNumber, envVars, name, ...rest] = decoded
  if (v2 !== "v2" || (prefix !== "acts" && prefix !== "actors") || rest.length > 0) return Option.none()
  const ok = (route: Route) => Option.some({ route, prefix, query })
  if (actorId === undefined) return ok({ _tag: "Actors" })
  if (versions === undefined) return ok({ _tag: "Actor", actorId })
  if (versions !== "versions") return Option.none()
  if (versionNumber === undefined) return ok({ _tag: "Versions", actorId })
  if (envVars === undefined) return ok({ _tag: "Version", actorId, versionNumber })
  if (envVars !== "env-vars") return Option.none()
  if (name === undefined) return ok({ _tag: "EnvVars", actorId, versionNumber })
  return ok({ _tag: "EnvVar", actorId, versionNumber, name })
}

// ---------------------------------------------------------------------------
// answers
// ---------------------------------------------------------------------------

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

const data = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  json(status, { data: body }, headers)

const errorResponse = (error: ApiError.ApiError) =>
  json(error.status, { error: { type: error.type, message: error.message } }, { ...error.headers })

const noContent = HttpServerResponse.empty({ status: 204 })

// ---------------------------------------------------------------------------
// the app
// ---------------------------------------------------------------------------

const tokenOf = (request: HttpServerRequest.HttpServerRequest, query: URLSearchParams): string | undefined => {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (match !== null && match[1] !== undefined) return match[1].trim()
  }
  return query.get("token") ?? undefined
}

const decode = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown) =>
  Schema.decodeUnknown(schema)(input, { errors: "all" }).pipe(
    Effect.mapError((error) => ApiError.invalidInput(Issue.summary(error)))
  )

/** @internal */
export const make = (internals: Internals): HttpApp.Default<never, HttpServerRequest.HttpServerRequest> => {
  const { state, users } = internals
  const nowIso = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis).toISOString())

  const transact = <A>(f: (s: Store.State) => Either.Either<readonly [A, Store.State], ApiError.ApiError>) =>
    Ref.modify(state, (s): readonly [Either.Either<A, ApiError.ApiError>, Store.State] => {
      const result = f(s)
      return Either.isRight(result) ? [Either.right(result.right[0]), result.right[1]] : [Either.left(result.left), s]
    }).pipe(Effect.flatMap((result) => result))

  const rateLimitCheck = (key: string) =>
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

  const precheck = (
    s: Store.State,
    user: User,
    route: Route,
    method: string
  ): Either.Either<void, ApiError.ApiError> => {
    if (route._tag === "Actors") return Either.void
    const access: Store.Access = route._tag === "Actor" && method === "GET" ? "read" : "write"
    return Either.flatMap(Store.resolveActor(s, user, route.actorId, access), () => {
      switch (route._tag) {
        case "Version":
        case "EnvVars":
          return Either.map(Store.getVersion(s, user, route.actorId, route.versionNumber), () => undefined)
        case "EnvVar":
          return Either.map(Store.getEnvVar(s, user, route.actorId, route.versionNumber, route.name), () => undefined)
        default:
          return Either.void
      }
    })
  }

  const handle = (
    request: HttpServerRequest.HttpServerRequest,
    { prefix, query, route }: Matched
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, ApiError.ApiError> =>
    Effect.gen(function*() {
      const method = request.method.toUpperCase()
      const methods = allowed[route._tag]
      if (method === "OPTIONS") {
        return HttpServerResponse.empty({
          status: 204,
          headers: { allow: methods.join(", "), "access-control-allow-methods": methods.join(",") }
        })
      }
      if (!methods.includes(method)) return yield* Effect.fail(ApiError.methodNotAllowed(methods))

      const token = tokenOf(request, query)
      if (token === undefined || token === "") return yield* Effect.fail(ApiError.tokenMissing)
      const user = users.find((u) => u.token === token)
      if (user === undefined) return yield* Effect.fail(ApiError.tokenNotValid)

      const current = yield* Ref.get(state)
      const rateKey = route._tag === "Actors" ?
        `user:${user.id}` :
        `actor:${
          Option.match(Store.findActor(current, route.actorId), {
            onNone: () => Store.normalizeActorRef(route.actorId),
            onSome: (actor) => actor.id
          })
        }`
      yield* rateLimitCheck(rateKey)
      yield* precheck(current, user, route, method)

      const base = `${Option.getOrElse(yield* FiberRef.get(Target.currentOrigin), () => "")}/v2/${prefix}`
      switch (route._tag) {
        case "Actors": {
          if (method === "GET") {
            const mine = Store.actorsOf(current).filter((a) => a.userId === user.id)
            const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0)
            const limit = Math.max(0, Number(query.get("limit") ?? 1000) || 1000)
            const desc = query.get("desc") === "1" || query.get("desc") === "true"
            const ordered = desc ? [...mine].reverse() : mine
            const items = ordered.slice(offset, offset + limit).map(Store.actorShortJson)
            return data(200, { total: mine.length, count: items.length, offset, limit, desc, items })
          }
          const input = yield* decode(Actor.CreateActor, yield* Body.readJson(request, internals.maxBodyBytes))
          const id = yield* Ref.modify(internals.ids, (s) => Prng.id(s))
          const now = yield* nowIso
          const actor = yield* transact((s) => Store.createActor(s, { id, input, now, user }))
          return data(201, Store.actorJson(actor), { location: `${base}/${actor.id}` })
        }
        case "Actor": {
          if (method === "GET") {
            const actor = yield* Store.resolveActor(current, user, route.actorId, "read")
            return data(200, Store.actorJson(actor))
          }
          yield* transact((s) => Store.deleteActor(s, user, route.actorId))
          return noContent
        }
        case "Versions": {
          if (method === "GET") {
            const actor = yield* Store.resolveActor(current, user, route.actorId, "write")
            return data(200, { total: actor.versions.length, items: actor.versions.map(Store.versionJson) })
          }
          const input = yield* decode(
            VersionRequest.CreateVersion,
            yield* Body.readJson(request, internals.maxBodyBytes)
          )
          const now = yield* nowIso
          const [actor, version] = yield* transact((s) => Store.createVersion(s, user, route.actorId, input, now))
          return data(201, Store.versionJson(version), {
            location: `${base}/${actor.id}/versions/${encodeURIComponent(version.versionNumber)}`
          })
        }
        case "Version": {
          switch (method) {
            case "GET": {
              const version = yield* Store.getVersion(current, user, route.actorId, route.versionNumber)
              return data(200, Store.versionJson(version))
            }
            case "DELETE": {
              const now = yield* nowIso
              yield* transact((s) => Store.deleteVersion(s, user, route.actorId, route.versionNumber, now))
              return noContent
            }
            default: {
              const input = yield* decode(
                VersionRequest.UpdateVersion,
                yield* Body.readJson(request, internals.maxBodyBytes)
              )
              const now = yield* nowIso
              const version = yield* transact((s) =>
                Store.updateVersion(s, user, route.actorId, route.versionNumber, input, now)
              )
              return data(200, Store.versionJson(version))
            }
          }
        }
        case "EnvVars": {
          if (method === "GET") {
            const version = yield* Store.getVersion(current, user, route.actorId, route.versionNumber)
            const envVars = version.envVars ?? []
            return data(200, { total: envVars.length, items: envVars.map(Store.envVarJson) })
          }
          const input = yield* decode(EnvVar.EnvVarRequest, yield* Body.readJson(request, internals.maxBodyBytes))
          const now = yield* nowIso
          const [actorId, envVar] = yield* transact((s) =>
            Store.createEnvVar(
              s,
              user,
              route.actorId,
              route.versionNumber,
              input,
              now,
              internals.maxEnvVarsPerVersion
            )
          )
          return data(201, Store.envVarJson(envVar), {
            location: `${base}/${actorId}/versions/${encodeURIComponent(route.versionNumber)}/env-vars/${
              encodeURIComponent(envVar.name)
            }`
          })
        }
        case "EnvVar": {
          switch (method) {
            case "GET": {
              const envVar = yield* Store.getEnvVar(current, user, route.actorId, route.versionNumber, route.name)
              return data(200, Store.envVarJson(envVar))
            }
            case "DELETE": {
              const now = yield* nowIso
              yield* transact((s) => Store.deleteEnvVar(s, user, route.actorId, route.versionNumber, route.name, now))
              return noContent
            }
            default: {
              const input = yield* decode(EnvVar.EnvVarRequest, yield* Body.readJson(request, internals.maxBodyBytes))
              const now = yield* nowIso
              const envVar = yield* transact((s) =>
                Store.updateEnvVar(s, user, route.actorId, route.versionNumber, route.name, input, now)
              )
              return data(200, Store.envVarJson(envVar))
            }
          }
        }
      }
    })

  const dropResponse = HttpServerResponse.empty({ status: 500, headers: { [dropHeader]: "1" } })

  const serverError = (status: number, nonJsonBody: boolean) =>
    nonJsonBody ?
      HttpServerResponse.text(`<html><body><h1>${status} Server Error</h1></body></html>`, {
        status,
        contentType: "text/html"
      }) :
      errorResponse(ApiError.internalError(status))

  const route = (request: HttpServerRequest.HttpServerRequest) =>
    Option.match(matchRoute(Target.pathAndQuery(request.url)), {
      onNone: () => Effect.succeed(errorResponse(ApiError.pageNotFound)),
      onSome: (matched) =>
        handle(request, matched).pipe(Effect.catchTag("ApiError", (e) => Effect.succeed(errorResponse(e))))
    })

  const answer = (
    request: HttpServerRequest.HttpServerRequest,
    outcome: Faults.Outcome
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    switch (outcome._tag) {
      case "RateLimited":
        return Effect.map(Ref.get(internals.rateLimit), (limit) =>
          errorResponse(
            ApiError.rateLimitExceeded(limit === false ? 60 : limit.perSecond, outcome.retryAfterSeconds)
          ))
      case "ServerError":
        return Effect.succeed(serverError(outcome.status, outcome.nonJsonBody))
      case "Drop":
        return Effect.succeed(dropResponse)
      case "CommitThenFail":
        return Effect.map(
          route(request),
          (response) =>
            response.status >= 300 ? response : outcome.answer === "drop" ? dropResponse : serverError(500, false)
        )
      case "None":
        return route(request)
    }
  }

  const faultName: Record<Faults.Outcome["_tag"], RequestRecord["fault"]> = {
    None: null,
    RateLimited: "rate-limit-burst",
    ServerError: "server-error",
    Drop: "drop",
    CommitThenFail: "commit-then-fail"
  }

  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    yield* Ref.update(internals.requests, (n) => n + 1)
    const method = request.method.toUpperCase()
    const target = Target.pathAndQuery(request.url)
    const q = target.indexOf("?")
    const path = q === -1 ? target : target.slice(0, q)
    yield* Effect.annotateCurrentSpan({ "http.request.method": method, "url.path": path })
    const decision = yield* Ref.modify(internals.faults, (s) => Faults.decide(s, { method, path }))
    if (decision.latencyMillis > 0) yield* Effect.sleep(decision.latencyMillis)
    const response = yield* answer(request, decision.outcome).pipe(
      Effect.catchAllDefect(() => Effect.succeed(errorResponse(ApiError.internalError(500))))
    )
    const record: RequestRecord = {
      method,
      path,
      status: response.headers[dropHeader] === undefined ? response.status : "dropped",
      fault: faultName[decision.outcome._tag]
    }
    yield* Ref.update(internals.log, (log) => Chunk.takeRight(Chunk.append(log, record), requestLogLimit))
    return response
  }).pipe(Effect.withSpan("effect-apify-emulator.request"))
}

/**
 * How many requests the log keeps (the most recent).
 *
 * @internal
 */
export const requestLogLimit = 10_000
