/**
 * How the client authenticates: a bearer token, or nothing. A separate layer, so a test or an
 * app can swap it without touching the rest of the client.
 *
 * The token stays `Redacted` from configuration to the `Authorization` header: it is never
 * part of an error, a log line or a span attribute.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * The authentication the client sends with every request.
 *
 * @since 0.1.0
 */
export interface Service {
  /** The API token, sent as `Authorization: Bearer <token>`; `None` sends no credentials. */
  readonly token: Option.Option<Redacted.Redacted<string>>
}

/**
 * The authentication service. When no `Auth` layer is provided, `ApifyClient` uses the
 * `token` of its options (bearer when present, none otherwise).
 *
 * @since 0.1.0
 */
export class Auth extends Context.Tag("@effect-apify/api/Auth")<Auth, Service>() {}

/**
 * Bearer token authentication. Accepts a `Redacted` token (preferred) or a plain string.
 *
 * @example
 * ```ts
 * import { ApifyClient, Auth } from "@effect-apify/api"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * const client = ApifyClient.layer().pipe(Layer.provide(Auth.bearer(Redacted.make("apify_api_..."))))
 * ```
 *
 * @since 0.1.0
 */
export const bearer = (token: Redacted.Redacted<string> | string): Layer.Layer<Auth> =>
  Layer.succeed(Auth, makeBearer(token))

/**
 * The `Auth` service value for a bearer token.
 *
 * @since 0.1.0
 */
export const makeBearer = (token: Redacted.Redacted<string> | string): Service => ({
  token: Option.some(typeof token === "string" ? Redacted.make(token) : token)
})

/**
 * No credentials at all (public reads, or tests of the 401 path).
 *
 * @since 0.1.0
 */
export const none: Layer.Layer<Auth> = Layer.succeed(Auth, { token: Option.none() })

/**
 * Bearer authentication with the token read from configuration (`APIFY_TOKEN` by default);
 * no credentials when it is not set.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  token: Config.Config<Option.Option<Redacted.Redacted<string>>> = Config.option(Config.redacted("APIFY_TOKEN"))
): Layer.Layer<Auth, ConfigError.ConfigError> => Layer.effect(Auth, Config.map(token, (token) => ({ token })))
