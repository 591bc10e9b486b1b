/**
 * The routes of a set of operations: each route once, the methods it allows, and the matching
 * of a request path against them under each prefix of their base. `Contract` applies it to the
 * API's operations.
 *
 * @since 0.1.0
 */
import * as Operation from "./Operation.js"

/**
 * A request path matched against the routes: the prefix, the route and its parameters
 * (URL-decoded).
 *
 * @since 0.1.0
 */
export interface Match {
  readonly prefix: Operation.Prefix
  readonly route: string
  readonly parameters: Readonly<Partial<Record<Operation.PathParameter, string>>>
}

/**
 * What `make` derives from a set of operations.
 *
 * @since 0.1.0
 */
export interface Routes {
  /** The routes (below their prefix), each once, in declaration order. */
  readonly routes: ReadonlyArray<string>
  /** The methods a route allows, in declaration order (`OPTIONS` aside). */
  readonly allowedMethods: (route: string) => ReadonlyArray<Operation.Method>
  /**
   * Matches a path (without query) against the routes under each prefix of their base, the
   * Actor prefixes first; `undefined` when none matches or a segment is empty or not valid
   * percent-encoding.
   */
  readonly match: (pathname: string) => Match | undefined
}

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

type Parameters = Partial<Record<Operation.PathParameter, string>>

const matchSegments = (template: ReadonlyArray<string>, segments: ReadonlyArray<string>): Parameters | undefined => {
  if (template.length !== segments.length) return undefined
  const parameters: Parameters = {}
  for (let i = 0; i < template.length; i++) {
    const part = template[i]!
    const segment = segments[i]!
    if (part.startsWith(":")) {
      const decoded = decodeSegment(segment)
      if (decoded === undefined || decoded === "") return undefined
      parameters[part.slice(1) as Operation.PathParameter] = decoded
    } else if (part !== segment) {
      return undefined
    }
  }
  return parameters
}

/**
 * The routes of `operations`. A route is its operation's `path`; the paths of different bases
 * never coincide (the Actor routes are `""` or start with `/:actorId`, the others with a fixed
 * segment).
 *
 * @since 0.1.0
 */
export const make = (operations: ReadonlyArray<Operation.Operation>): Routes => {
  const routes = [...new Set(operations.map((o) => o.path))]
  const templates = routes.map((route) => {
    const base = operations.find((o) => o.path === route)!.base
    return { route, base, segments: route.split("/").slice(1) }
  })
  const places = (Object.keys(Operation.bases) as ReadonlyArray<Operation.Base>).flatMap((base) =>
    Operation.bases[base].map((prefix) => ({ base, prefix }))
  )
  return {
    routes,
    allowedMethods: (route) => [...new Set(operations.filter((o) => o.path === route).map((o) => o.method))],
    match: (pathname) => {
      for (const { base, prefix } of places) {
        if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) continue
        const rest = pathname.slice(prefix.length).replace(/\/$/, "")
        const segments = rest === "" ? [] : rest.split("/").slice(1)
        for (const template of templates) {
          if (template.base !== base) continue
          const parameters = matchSegments(template.segments, segments)
          if (parameters !== undefined) return { prefix, route: template.route, parameters }
        }
      }
      return undefined
    }
  }
}
