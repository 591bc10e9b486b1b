/**
 * The emulator's routes and methods are the contract's: every route of `Contract` under each
 * prefix of its base (the Actor routes under both `/v2/acts` and `/v2/actors`), with every method, through both transports. A method the contract declares for the
 * route is answered by its operation (its success or one of its declared statuses); any other is
 * 405 with `Allow` listing exactly the contract's methods and OPTIONS, which OPTIONS lists too.
 */
import { Contract, Operation } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { errorOf, gitVersion, Harness, transports } from "./harness.js"

const values: { readonly [P in Operation.PathParameter]: string } = {
  actorId: "owner~my-actor",
  versionNumber: "0.0",
  envVarName: "A",
  buildId: "B",
  storeId: "S",
  recordKey: "k"
}

const pathOf = (prefix: string, route: string) =>
  prefix + route.replace(/:([A-Za-z]+)/g, (_, name: Operation.PathParameter) => encodeURIComponent(values[name]))

const methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const

const listed = (header: string | undefined) => (header ?? "").split(",").map((m) => m.trim()).sort()

describe.each(transports)("emulator routes = Contract (%s)", (_kind, makeLayer) => {
  it.effect("every route x every method: answered by its operation, or 405 with the contract's Allow", () =>
    Effect.gen(function*() {
      const h = yield* Harness
      let checked = 0
      let expected = 0
      for (const route of Contract.routes) {
        const base = Object.values(Contract.operations).find((o) => o.path === route)!.base
        expected += Operation.bases[base].length * methods.length
        for (const prefix of Operation.bases[base]) {
          const declared = Contract.allowedMethods(route)
          const allow = ["OPTIONS", ...declared].sort()
          for (const method of methods) {
            yield* h.emulator.reset
            yield* h.emulator.seedActor({
              name: "my-actor",
              versions: [gitVersion("0.0", { envVars: [{ name: "A", value: "1" }] })]
            })
            const path = pathOf(prefix, route)
            const answer = yield* h.call(method, path)
            const where = `${method} ${path}`
            const operation = Object.values(Contract.operations).find((o) => o.path === route && o.method === method)
            if (method === "OPTIONS") {
              expect(answer.status, where).toBe(204)
              expect(listed(answer.headers.allow), where).toEqual(allow)
              expect(listed(answer.headers["access-control-allow-methods"]), where).toEqual(allow)
            } else if (operation !== undefined) {
              expect([operation.success, ...operation.errors], where).toContain(answer.status)
            } else {
              expect(answer.status, where).toBe(405)
              expect(listed(answer.headers.allow), where).toEqual(allow)
              if (method !== "HEAD") expect(errorOf(answer).type, where).toBe("method-not-allowed")
            }
            checked++
          }
        }
      }
      expect(checked).toBe(expected)
    }).pipe(Effect.provide(makeLayer({ rateLimit: false }))))
})
