/**
 * Creates, or updates when it exists: the convergence `versions push` and `env set` share.
 *
 * @since 0.1.0
 */
import { ApifyError } from "@effect-apify/api"
import * as Effect from "effect/Effect"

/**
 * Creates, or updates when it exists, converging when another process creates or deletes the
 * same thing in between: "already exists" on create falls back to update, 404 on update falls
 * back to create, at most 3 times. Gives whether it updated, and the result.
 *
 * @since 0.1.0
 */
export const createOrUpdate = <A, E, R>(options: {
  readonly exists: boolean
  readonly create: Effect.Effect<A, E, R>
  readonly update: Effect.Effect<A, E, R>
  /** The Apify error type of "already exists", e.g. `env-var-already-exists`. */
  readonly alreadyExists: string
}): Effect.Effect<readonly [boolean, A], E, R> => {
  const attempt = (exists: boolean, rounds: number): Effect.Effect<readonly [boolean, A], E, R> =>
    exists
      ? options.update.pipe(
        Effect.map((a) => [true, a] as const),
        Effect.catchIf((e) => rounds > 0 && ApifyError.isApifyError(e) && e._tag === "NotFound", () =>
          attempt(false, rounds - 1))
      )
      : options.create.pipe(
        Effect.map((a) =>
          [false, a] as const
        ),
        Effect.catchIf(
          (e) => rounds > 0 && ApifyError.hasType(e, options.alreadyExists),
          () => attempt(true, rounds - 1)
        )
      )
  return attempt(options.exists, 3)
}
