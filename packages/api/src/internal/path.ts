/**
 * Request paths from the contract's route templates: each parameter URL-encoded, an Actor
 * normalised (`user/name` becomes `user~name`).
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import { ActorId } from "@effect-apify/domain"

/**
 * Encodes one path segment: an Actor ID, a version number or an env var name.
 *
 * @internal
 */
export const segment = (value: string): string => encodeURIComponent(String(value))

/**
 * The route `template` with its parameters replaced, in order, by `segments` (already encoded).
 *
 * @internal
 */
export const fill = (template: string, segments: ReadonlyArray<string>): string => {
  let i = 0
  return template.replace(/:[A-Za-z]+/g, () => segments[i++] ?? "")
}

/**
 * The path of `operation` for its arguments, in the order of its parameters.
 *
 * @internal
 */
export const pathOf = (operation: Operation.Operation) => {
  const parts = operation.path.split(/:[A-Za-z]+/)
  const parameters = operation.parameters
  return (...args: ReadonlyArray<string>): string => {
    let path = parts[0]!
    for (let i = 0; i < parameters.length; i++) {
      const value = String(args[i])
      path += (parameters[i] === "actorId" ? segment(ActorId.normalize(value)) : segment(value)) + parts[i + 1]!
    }
    return path
  }
}
