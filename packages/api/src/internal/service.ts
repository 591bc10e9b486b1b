import { ActorId, EnvVar, Issue, VersionNumber } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as ApifyClient from "../ApifyClient.js"
import * as ApifyError from "../ApifyError.js"
import { sentMatches } from "./matches.js"

/**
 * The path segment of an Actor: normalised (`user/name` becomes `user~name`) and URL-encoded.
 *
 * @internal
 */
export const actorSegment = (actorId: string): string => ApifyClient.segment(ActorId.normalize(String(actorId)))

/**
 * A string field of a request body, read defensively: callers outside TypeScript may pass
 * anything, and strict encoding reports it as `InvalidRequest`, not as a defect.
 *
 * @internal
 */
export const stringField = (body: unknown, key: string): string | undefined => {
  if (!Predicate.isRecord(body)) return undefined
  const value = body[key]
  return typeof value === "string" ? value : undefined
}

/**
 * Wraps an operation in its span. No stack trace capture: it is per call and not cheap.
 *
 * @internal
 */
export const span = (name: string, attributes: Record<string, unknown>) => {
  // the client raises apify.attempts when it retries
  const withAttempts = { ...attributes, "apify.attempts": 1 }
  return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withSpan(self, name, { kind: "client", captureStackTrace: false, attributes: withAttempts })
}

/**
 * An endpoint that decodes `{data: ...}` and also keeps the raw `data`, to compare a stored
 * record with what was sent.
 *
 * @internal
 */
export const endpointWithRaw = <A, I, S extends ApifyClient.ExpectedStatus>(options: {
  readonly method: ApifyClient.Method
  readonly expected: ReadonlyArray<S>
  readonly data: Schema.Schema<A, I>
  readonly root?: boolean
}): ApifyClient.Endpoint<readonly [unknown, A], S> => {
  const decode = Schema.decodeUnknownEither(options.data)
  return {
    method: options.method,
    expected: options.expected,
    root: options.root,
    decode: (json): Either.Either<readonly [unknown, A], ParseResult.ParseError> => {
      const raw = Predicate.hasProperty(json, "data") ? json.data : undefined
      return Either.map(decode(raw), (a) => {
        ApifyClient.remember(a, raw)
        return [raw, a] as const
      })
    }
  }
}

/**
 * After a retried create met "already exists": read the stored record and succeed with it if
 * it holds what was sent, else fail with the conflict. When the record cannot be found, the
 * conflict is returned.
 *
 * @internal
 */
export const recoverCreate = <A, C extends ApifyError.ApifyError, E>(
  conflict: C,
  sent: unknown,
  read: Effect.Effect<readonly [unknown, A], E>
): Effect.Effect<A, C | Exclude<E, Extract<E, ApifyError.NotFound>>> =>
  Effect.flatMap(
    Effect.catchIf(
      read,
      (error): error is Extract<E, ApifyError.NotFound> => ApifyError.isApifyError(error) && error._tag === "NotFound",
      () => Effect.fail(conflict)
    ),
    ([raw, a]) =>
      sentMatches(sent, raw)
        ? Effect.as(
          Effect.logDebug("Apify API create was retried and found its own earlier success").pipe(
            Effect.annotateLogs({ path: "path" in conflict ? conflict.path : "" })
          ),
          a
        )
        : Effect.fail(conflict)
  )

/**
 * For bodies that cannot reach the API's size limit by construction (env vars): a
 * `PayloadTooLarge` would mean a bug, reported as `InvalidRequest` so the types stay exact.
 *
 * @internal
 */
export const noPayloadTooLarge = <A, E>(
  self: Effect.Effect<A, E | ApifyError.PayloadTooLarge>
): Effect.Effect<A, Exclude<E, ApifyError.PayloadTooLarge> | ApifyError.InvalidRequest> =>
  Effect.catchIf(
    self,
    (error): error is ApifyError.PayloadTooLarge => ApifyError.isApifyError(error) && error._tag === "PayloadTooLarge",
    (error) =>
      Effect.fail(new ApifyError.InvalidRequest({ detail: error.apifyMessage, method: error.method, path: error.path }))
  ) as Effect.Effect<A, Exclude<E, ApifyError.PayloadTooLarge> | ApifyError.InvalidRequest>

/**
 * Builds a stub service from a partial implementation: the missing methods die with a message
 * that names the service and the method.
 *
 * @internal
 */
export const stub = <S extends object>(
  service: string,
  methods: ReadonlyArray<keyof S & string>,
  partial: Partial<S>
): S => {
  const out: Record<string, unknown> = {}
  const given = partial as Record<string, unknown>
  for (const method of methods) {
    out[method] = given[method] ?? (() =>
      Effect.dieMessage(
        `${service}.layerTest: ${method} was called but the test stub does not implement it; pass { ${method}: ... }`
      ))
  }
  // A stub given `get` but not `find` derives `find` from it, as the real service does.
  if (given.find === undefined && typeof given.get === "function") {
    out.find = findFrom(given.get as (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>)
  }
  return out as S
}

/**
 * A path argument an operation takes, checked before anything is sent: TypeScript's brands
 * guard typed callers, this guards the rest (plain JavaScript, casts, data from outside).
 *
 * @internal
 */
export type PathArgument = "actorId" | "versionNumber" | "envVarName"

const validateActorId = Schema.validateEither(ActorId.ActorIdString)
const validateVersionNumber = Schema.validateEither(VersionNumber.VersionNumber)
const validateEnvVarName = Schema.validateEither(EnvVar.EnvVarName)

const pathProblem = (argument: PathArgument, value: unknown): string | undefined => {
  const result: Either.Either<unknown, ParseResult.ParseError> = argument === "actorId"
    ? validateActorId(typeof value === "string" ? ActorId.normalize(value) : value)
    : argument === "versionNumber"
    ? validateVersionNumber(value)
    : validateEnvVarName(value)
  if (Either.isRight(result)) return undefined
  const problem = Issue.summary(result.left)
  const label = argument === "envVarName" ? "env var name" : argument
  return problem.includes(label) ? problem : `${label}: ${problem}`
}

/**
 * Wraps the methods of a service so that each refuses invalid path arguments with
 * `InvalidRequest` (naming the argument) before sending. `spec` gives, per method, its HTTP
 * method and the path arguments it takes, in order from the first parameter.
 *
 * @internal
 */
export const withPathChecks = <S extends object>(
  client: ApifyClient.Service,
  route: (...segments: ReadonlyArray<string>) => string,
  service: S,
  spec: { readonly [K in keyof S]: readonly [ApifyClient.Method, ReadonlyArray<PathArgument>] }
): S => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(spec) as Array<keyof S & string>) {
    const [method, names] = spec[key]
    const original = service[key] as (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
    out[key] = (...args: ReadonlyArray<unknown>) => {
      for (let i = 0; i < names.length; i++) {
        const problem = pathProblem(names[i]!, args[i])
        if (problem !== undefined) {
          const segments = args.slice(0, names.length).map((arg) => ApifyClient.segment(String(arg)))
          return Effect.fail(
            new ApifyError.InvalidRequest({ detail: problem, method, path: client.errorPath(route(...segments)) })
          )
        }
      }
      return original(...args)
    }
  }
  return out as S
}

/**
 * The `find` of a `get`: `None` when the record does not exist (`NotFound` stays for an unknown
 * route).
 *
 * @internal
 */
export const findFrom = <Args extends ReadonlyArray<unknown>, A, E>(
  get: (...args: Args) => Effect.Effect<A, E>
) =>
(...args: Args): Effect.Effect<Option.Option<A>, E> =>
  get(...args).pipe(
    Effect.map(Option.some),
    Effect.catchIf(ApifyError.isRecordNotFound, () => Effect.succeedNone)
  )
