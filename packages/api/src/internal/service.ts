/**
 * What the three resource services share: path checks, spans, `find` from `get`, the
 * recovery of a create whose answer was lost, and test stubs.
 *
 * @internal
 */
import { ActorId, Issue, Operation } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as ApifyError from "../ApifyError.js"
import type { Engine } from "./engine.js"
import { sentMatches } from "./matches.js"
import { fill, segment } from "./path.js"

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

// The tracer every runtime has unless one is installed: its spans go nowhere.
const defaultTracer = Effect.runSync(Effect.tracer)

/**
 * Wraps an operation in its span when a tracer is installed (with Effect's default tracer the
 * span would be built and dropped, at about 40 µs per request). No stack trace capture: it is
 * per call and not cheap.
 *
 * @internal
 */
export const span = (name: string, attributes: Record<string, unknown>) => {
  return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.tracerWith((tracer) =>
      tracer === defaultTracer ? self : Effect.withSpan(self, name, {
        kind: "client",
        captureStackTrace: false,
        // the client raises apify.attempts when it retries
        attributes: { ...attributes, "apify.attempts": 1 }
      })
    )
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

const validators = Object.fromEntries(
  (Object.keys(Operation.pathParameters) as ReadonlyArray<Operation.PathParameter>).map((name) => [
    name,
    Schema.validateEither(Operation.pathParameters[name] as Schema.Schema<unknown>)
  ])
) as Record<Operation.PathParameter, (u: unknown) => Either.Either<unknown, ParseResult.ParseError>>

const labels: Record<Operation.PathParameter, string> = {
  actorId: "actorId",
  versionNumber: "versionNumber",
  envVarName: "env var name",
  buildId: "build ID",
  storeId: "store ID",
  recordKey: "record key"
}

const pathProblem = (parameter: Operation.PathParameter, value: unknown): string | undefined => {
  const result = validators[parameter](
    parameter === "actorId" && typeof value === "string" ? ActorId.normalize(value) : value
  )
  if (Either.isRight(result)) return undefined
  const problem = Issue.summary(result.left)
  const label = labels[parameter]
  return problem.includes(label) ? problem : `${label}: ${problem}`
}

/**
 * Wraps the methods of a service so that each refuses invalid path arguments with
 * `InvalidRequest` (naming the argument) before sending. `operations` gives, per method, the
 * contract operation it performs: its method and its path parameters, in order from the first
 * argument.
 *
 * @internal
 */
export const withPathChecks = <S extends object>(
  engine: Engine,
  service: S,
  operations: { readonly [K in keyof S]?: Operation.Operation }
): S => {
  const out: Record<string, unknown> = { ...(service as Record<string, unknown>) }
  for (const key of Object.keys(operations) as Array<keyof S & string>) {
    const operation = operations[key]!
    const original = service[key] as (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
    out[key] = (...args: ReadonlyArray<unknown>) => {
      const refused = pathRefusal(engine, operation, args)
      return refused === undefined ? original(...args) : Effect.fail(refused)
    }
  }
  return out as S
}

/**
 * `InvalidRequest` naming the first path argument of `operation` that is not valid, if any;
 * `args` begin with its path parameters, in order.
 *
 * @internal
 */
export const pathRefusal = (
  engine: Engine,
  operation: Operation.Operation,
  args: ReadonlyArray<unknown>
): ApifyError.InvalidRequest | undefined => {
  const names = operation.parameters
  for (let i = 0; i < names.length; i++) {
    const problem = pathProblem(names[i]!, args[i])
    if (problem !== undefined) {
      const segments = args.slice(0, names.length).map((arg) => segment(String(arg)))
      return new ApifyError.InvalidRequest({
        detail: problem,
        method: operation.method,
        path: engine.errorPath(fill(operation.path, segments), operation.base)
      })
    }
  }
  return undefined
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
