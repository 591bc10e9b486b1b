/**
 * Apify's official JavaScript client, `apify-client`, against the loopback emulator: every
 * Actor, version and env var operation, its not-found handling, its errors, its brotli
 * bodies and an oversized body.
 */
import { describe, expect, it } from "@effect/vitest"
import { ApifyApiError, ApifyClient } from "apify-client"
import * as Effect from "effect/Effect"
import * as DiagnosticsChannel from "node:diagnostics_channel"
import type * as Http from "node:http"
import { Emulator } from "../src/index.js"

const clientFor = (url: string, token: string) => new ApifyClient({ baseUrl: url, token, maxRetries: 0 })

/** Runs a client call; a rejection becomes the typed failure. */
const call = <A>(f: () => Promise<A>): Effect.Effect<A, ApifyApiError | Error> =>
  Effect.tryPromise({
    try: f,
    catch: (error) => error instanceof ApifyApiError || error instanceof Error ? error : new Error(String(error))
  })

const apiError = <A>(f: () => Promise<A>) =>
  Effect.flip(call(f)).pipe(
    Effect.map((error) => {
      expect(error).toBeInstanceOf(ApifyApiError)
      const { statusCode, type } = error as ApifyApiError
      return { statusCode, type }
    })
  )

const setup = Effect.gen(function*() {
  const server = yield* Emulator.serve({ rateLimit: false })
  return {
    server,
    owner: clientFor(server.url, server.owner.token),
    stranger: clientFor(server.url, Emulator.defaultUsers[1].token)
  }
})

describe("apify-client against the loopback emulator", () => {
  it.scoped("Actors: create, get (by ID and username/name), delete; a missing one is undefined", () =>
    Effect.gen(function*() {
      const { owner } = yield* setup
      const created = yield* call(() =>
        owner.actors().create({
          name: "my-actor",
          title: "My Actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO" as never, gitRepoUrl: "https://github.com/a/b" }]
        })
      )
      expect(created.id).toMatch(/^[A-Za-z0-9]{17}$/)
      expect(created.createdAt).toBeInstanceOf(Date)
      expect(created.username).toBe("owner")
      const byId = yield* call(() => owner.actor(created.id).get())
      expect(byId?.name).toBe("my-actor")
      const byName = yield* call(() => owner.actor("owner/my-actor").get())
      expect(byName?.id).toBe(created.id)
      expect(byName?.versions).toHaveLength(1)
      yield* call(() => owner.actor(created.id).delete())
      expect(yield* call(() => owner.actor(created.id).get())).toBeUndefined()
      expect(yield* call(() => owner.actor("owner/nothing").get())).toBeUndefined()
      // deleting a missing Actor is a no-op for the client (404 record-not-found)
      yield* call(() => owner.actor(created.id).delete())
    }))

  it.scoped("versions: list, create, get, update, delete; a missing one is undefined", () =>
    Effect.gen(function*() {
      const { owner } = yield* setup
      yield* call(() =>
        owner.actors().create({
          name: "my-actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO" as never, gitRepoUrl: "https://github.com/a/b" }]
        })
      )
      const actor = owner.actor("owner/my-actor")
      const created = yield* call(() =>
        actor.versions().create({
          versionNumber: "0.1",
          sourceType: "TARBALL" as never,
          tarballUrl: "https://example.com/a.zip",
          buildTag: "latest",
          envVars: [{ name: "A", value: "1" }, { name: "S", value: "secret", isSecret: true }]
        })
      )
      expect(created).toMatchObject({ versionNumber: "0.1", sourceType: "TARBALL", buildTag: "latest" })
      expect(created.envVars).toEqual([{ name: "A", value: "1", isSecret: false }, { name: "S", isSecret: true }])
      const list = yield* call(() => actor.versions().list())
      expect(list.total).toBe(2)
      expect(list.items.map((v) => v.versionNumber)).toEqual(["0.0", "0.1"])
      const got = yield* call(() => actor.version("0.1").get())
      expect(got).toEqual(created)
      expect(yield* call(() => actor.version("9.9").get())).toBeUndefined()
      const updated = yield* call(() => actor.version("0.1").update({ buildTag: "beta" } as never))
      expect(updated).toMatchObject({ buildTag: "beta", tarballUrl: "https://example.com/a.zip" })
      expect(updated.envVars).toHaveLength(2)
      yield* call(() => actor.version("0.1").delete())
      expect(yield* call(() => actor.version("0.1").get())).toBeUndefined()
    }))

  it.scoped("env vars: list, create, get, update, delete; a missing one is undefined", () =>
    Effect.gen(function*() {
      const { owner } = yield* setup
      yield* call(() =>
        owner.actors().create({
          name: "my-actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO" as never, gitRepoUrl: "https://github.com/a/b" }]
        })
      )
      const envVars = owner.actor("owner/my-actor").version("0.0").envVars()
      expect(yield* call(() => envVars.list())).toMatchObject({ total: 0, items: [] })
      const created = yield* call(() => envVars.create({ name: "LOG_LEVEL", value: "debug" }))
      expect(created).toEqual({ name: "LOG_LEVEL", value: "debug", isSecret: false })
      const secret = yield* call(() => envVars.create({ name: "API_KEY", value: "k", isSecret: true }))
      expect(secret).toEqual({ name: "API_KEY", isSecret: true })
      const list = yield* call(() => envVars.list())
      expect(list.items).toEqual([created, secret])
      const envVar = owner.actor("owner/my-actor").version("0.0").envVar("LOG_LEVEL")
      expect(yield* call(() => envVar.get())).toEqual(created)
      const updated = yield* call(() => envVar.update({ name: "LOG_LEVEL", value: "info" }))
      expect(updated).toEqual({ name: "LOG_LEVEL", value: "info", isSecret: false })
      yield* call(() => envVar.delete())
      expect(yield* call(() => envVar.get())).toBeUndefined()
      expect(yield* call(() => owner.actor("owner/my-actor").version("0.0").envVar("NOPE").get())).toBeUndefined()
    }))

  it.scoped("errors come out as ApifyApiError with the status code and type", () =>
    Effect.gen(function*() {
      const { owner, server, stranger } = yield* setup
      yield* call(() =>
        owner.actors().create({
          name: "my-actor",
          versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO" as never, gitRepoUrl: "https://github.com/a/b" }]
        })
      )
      const actor = owner.actor("owner/my-actor")
      const git = { versionNumber: "0.0", sourceType: "GIT_REPO" as never, gitRepoUrl: "https://github.com/a/b" }
      expect(yield* apiError(() => owner.actors().create({ name: "my-actor" }))).toEqual({
        statusCode: 400,
        type: "actor-name-not-unique"
      })
      expect(yield* apiError(() => actor.versions().create(git))).toEqual({
        statusCode: 403,
        type: "version-already-exists"
      })
      expect(yield* apiError(() => actor.versions().create({ ...git, versionNumber: "1.0.0" }))).toEqual({
        statusCode: 400,
        type: "invalid-input"
      })
      expect(yield* apiError(() => actor.version("0.0").delete())).toEqual({
        statusCode: 403,
        type: "too-few-versions"
      })
      const envVars = actor.version("0.0").envVars()
      yield* call(() => envVars.create({ name: "A", value: "1" }))
      expect(yield* apiError(() => envVars.create({ name: "A", value: "2" }))).toEqual({
        statusCode: 403,
        type: "env-var-already-exists"
      })
      expect(yield* apiError(() => actor.version("0.0").envVar("A").update({ name: "B", value: "1" }))).toEqual({
        statusCode: 403,
        type: "cannot-rename-env-var"
      })
      expect(yield* apiError(() => stranger.actor("owner/my-actor").get())).toEqual({
        statusCode: 403,
        type: "insufficient-permissions"
      })
      expect(yield* apiError(() => clientFor(server.url, "wrong").actor("owner/my-actor").get())).toEqual({
        statusCode: 401,
        type: "token-not-valid"
      })
      expect(yield* apiError(() => actor.version("9.9").update({ buildTag: "x" } as never))).toEqual({
        statusCode: 404,
        type: "record-not-found"
      })
    }))

  it.scoped("its brotli-compressed bodies are accepted and an oversized body gets 413", () =>
    Effect.gen(function*() {
      const { owner } = yield* setup
      const encodings: Array<string> = []
      const onRequest = (message: unknown) => {
        const request = (message as { readonly request: Http.ClientRequest }).request
        const encoding = request.getHeader("content-encoding")
        if (typeof encoding === "string") encodings.push(encoding)
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => DiagnosticsChannel.subscribe("http.client.request.start", onRequest)),
        () => Effect.sync(() => DiagnosticsChannel.unsubscribe("http.client.request.start", onRequest))
      )
      yield* call(() => owner.actors().create({ name: "my-actor" }))
      const content = "console.log('hello')\n".repeat(200)
      const created = yield* call(() =>
        owner.actor("owner/my-actor").versions().create({
          versionNumber: "0.0",
          sourceType: "SOURCE_FILES" as never,
          sourceFiles: [{ name: "main.js", format: "TEXT", content }]
        } as never)
      )
      expect(encodings).toContain("br")
      expect(created).toMatchObject({ sourceFiles: [{ name: "main.js", format: "TEXT", content }] })
      const random = Array.from({ length: 10 * 1024 * 1024 / 8 }, () => Math.random().toString(36).slice(2, 10)).join(
        ""
      )
      const tooBig = yield* Effect.flip(call(() =>
        owner.actor("owner/my-actor").versions().create({
          versionNumber: "0.1",
          sourceType: "GIT_REPO" as never,
          gitRepoUrl: "https://github.com/a/b",
          buildTag: random
        })
      ))
      expect(tooBig).toBeInstanceOf(ApifyApiError)
      const error = tooBig as ApifyApiError
      expect(error.statusCode).toBe(413)
      expect(error.type).toBe("request-too-large")
      expect(error.message).toMatch(
        /^The POST payload is too large \(limit: 9437184 bytes, actual length: \d+ bytes\)\.$/
      )
    }), 30_000)
})
