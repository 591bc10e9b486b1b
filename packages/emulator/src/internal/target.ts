/**
 * Where a request is aimed and where the emulator lives: the path and query of a request
 * target in origin-form or absolute-form, and the origin `Location` headers start with.
 *
 * @internal
 */
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"

const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i

/**
 * The path and query of a request target: origin-form (`/v2/acts?x=1`) as it is, absolute-form
 * (`http://127.0.0.1:8080/v2/acts?x=1`, which a server must accept) without scheme and authority.
 *
 * @internal
 */
export const pathAndQuery = (target: string): string => {
  const match = absoluteForm.exec(target)
  if (match === null) return target
  const rest = target.slice(match[0].length)
  return rest.startsWith("/") ? rest : `/${rest}`
}

/**
 * The origin of the emulator itself (`http://127.0.0.1:PORT` when served on loopback, the base
 * URL the in-memory client was given): never the client's `Host` header. When unknown,
 * `Location` is a path alone.
 *
 * @internal
 */
export const currentOrigin: FiberRef.FiberRef<Option.Option<string>> = FiberRef.unsafeMake(Option.none<string>())
