/**
 * One way to talk to an emulator in tests, over either transport, so every rule is checked
 * in memory and on loopback with the same code.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Emulator } from "../src/index.js"

export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: unknown
}

export interface CallOptions {
  readonly token?: string | null
  readonly json?: unknown
  readonly body?: Uint8Array
  readonly headers?: Readonly<Record<string, string>>
}

export interface HarnessService {
  readonly kind: "memory" | "loopback"
  readonly base: string
  readonly emulator: Emulator.EmulatorService
  readonly call: (
    method: string,
    path: string,
    options?: CallOptions
  ) => Effect.Effect<Answer, HttpClientError.HttpClientError>
}

export class Harness extends Context.Tag("test/Harness")<Harness, HarnessService>() {}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const makeCall =
  (client: HttpClient.HttpClient, base: string, owner: Emulator.User): HarnessService["call"] =>
  (method, path, options = {}) => {
    const token = options.token === undefined ? owner.token : options.token
    let request = HttpClientRequest.make(method as "GET")(`${base}${path}`)
    if (token !== null) request = HttpClientRequest.bearerToken(request, token)
    if (options.json !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, options.json)
    if (options.body !== undefined) {
      request = HttpClientRequest.bodyUint8Array(request, options.body, "application/json")
    }
    if (options.headers !== undefined) request = HttpClientRequest.setHeaders(request, options.headers)
    return client.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.map(
          response.text,
          (text): Answer => ({ status: response.status, headers: response.headers, text, json: parse(text) })
        )
      ),
      Effect.scoped
    )
  }

export const memory = (options?: Emulator.EmulatorOptions): Layer.Layer<Harness> =>
  Layer.effect(
    Harness,
    Effect.gen(function*() {
      const emulator = yield* Emulator.make(options)
      const client = yield* Emulator.httpClient(emulator)
      const base = "https://api.apify.com"
      return { kind: "memory" as const, base, emulator, call: makeCall(client, base, emulator.owner) }
    })
  )

export const loopback = (options?: Emulator.EmulatorOptions): Layer.Layer<Harness> =>
  Layer.scoped(
    Harness,
    Effect.gen(function*() {
      const server = yield* Emulator.serve(options).pipe(Effect.orDie)
      const client = yield* HttpClient.HttpClient.pipe(Effect.provide(FetchHttpClient.layer))
      return {
        kind: "loopback" as const,
        base: server.url,
        emulator: server.emulator,
        call: makeCall(client, server.url, server.owner)
      }
    })
  )

export const transports = [["memory", memory], ["loopback", loopback]] as const

/** The `error` of an error answer. */
export const errorOf = (answer: Answer): { readonly type: string; readonly message: string } => {
  const body = answer.json as { readonly error?: { readonly type: string; readonly message: string } } | undefined
  return body?.error ?? { type: "<none>", message: answer.text }
}

/** The `data` of a success answer. */
export const dataOf = <A = Record<string, unknown>>(answer: Answer): A => (answer.json as { readonly data: A }).data

export const gitVersion = (versionNumber: string, extra: Record<string, unknown> = {}) => ({
  versionNumber,
  sourceType: "GIT_REPO" as const,
  gitRepoUrl: `https://github.com/owner/repo#v${versionNumber}`,
  ...extra
})
