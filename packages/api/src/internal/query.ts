/**
 * Query strings from an operation's query schema: what the API reads is declared once in the
 * contract, and a value it would refuse is `InvalidRequest` before sending.
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import { Issue, QueryValue } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Schema from "effect/Schema"
import * as ApifyError from "../ApifyError.js"
import type { Engine } from "./engine.js"
import { pathOf } from "./path.js"

type QuerySchema = Schema.Schema<unknown, { readonly [key: string]: string | undefined }>

/**
 * `?...` (or `""`) for `value` by the query schema of `operation`; `args` are its path
 * parameters, for the path an error shows.
 *
 * @internal
 */
export const querySearch = (
  engine: Engine,
  operation: Operation.Operation,
  args: ReadonlyArray<string>,
  value: Record<string, unknown>
): Effect.Effect<string, ApifyError.InvalidRequest> => {
  const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
  const schema = operation.query as QuerySchema | undefined
  if (schema === undefined) return Effect.succeed("")
  return Either.match(QueryValue.toSearch(schema, defined), {
    onRight: Effect.succeed,
    onLeft: (error) =>
      Effect.fail(
        new ApifyError.InvalidRequest({
          detail: Issue.summary(error),
          method: operation.method,
          path: engine.errorPath(pathOf(operation)(...args), operation.base)
        })
      )
  })
}
