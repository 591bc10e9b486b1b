// The small internal modules of the client, each alone: causeText, retryAfter, path, request,
// endpoint, engine.
import { Contract } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { causeText } from "../../src/internal/causeText.js"
import * as Endpoint from "../../src/internal/endpoint.js"
import * as Engine from "../../src/internal/engine.js"
import * as Path from "../../src/internal/path.js"
import * as Request from "../../src/internal/request.js"
import * as RetryAfter from "../../src/internal/retryAfter.js"

describe("causeText", () => {
  it("joins the messages and codes down the cause chain, three deep", () => {
    const inner = Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" })
    assert.strictEqual(
      causeText(new Error("fetch failed", { cause: inner })),
      "fetch failed: connect refused [ECONNREFUSED]"
    )
    assert.strictEqual(causeText(new Error("")), "unknown error")
    assert.strictEqual(causeText("plain"), "plain")
  })
})

describe("retryAfter", () => {
  it("reads delta-seconds and HTTP dates, nothing else", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT")
    assert.strictEqual(RetryAfter.parse("2", now), 2000)
    assert.strictEqual(RetryAfter.parse(" 1.5 ", now), 1500)
    assert.strictEqual(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now), 7000)
    assert.strictEqual(RetryAfter.parse("Sun, 06 Nov 1994 08:49:00 GMT", now), 0)
    for (const junk of ["-1", "soon 2099", "2, 3", "Sun 06 Nov 1994", ""]) {
      assert.isUndefined(RetryAfter.parse(junk, now), junk)
    }
    assert.isUndefined(RetryAfter.parse(undefined, now))
  })
})

describe("path", () => {
  it("fills a route with encoded arguments, the Actor normalised", () => {
    const path = Path.pathOf(Contract.getEnvVar)
    assert.strictEqual(path("me/my-actor", "0.1", "A B"), "/me~my-actor/versions/0.1/env-vars/A%20B")
    assert.strictEqual(Path.pathOf(Contract.createActor)(), "")
    assert.strictEqual(Path.fill(Contract.getVersion.path, ["x%2Fy", "9"]), "/x%2Fy/versions/9")
  })
})

describe("request", () => {
  it("normalises the base URL and the prefix; errors show the base URL's own path", () => {
    assert.deepStrictEqual(Request.target("http://h.test/proxy//", "v2/actors/"), {
      baseUrl: "http://h.test/proxy",
      pathPrefix: "/v2/actors",
      urlPrefix: "http://h.test/proxy/v2/actors",
      errorPrefix: "/proxy/v2/actors",
      urlPrefixes: { actors: "http://h.test/proxy/v2/actors", api: "http://h.test/proxy/v2" },
      errorPrefixes: { actors: "/proxy/v2/actors", api: "/proxy/v2" }
    })
    assert.strictEqual(Request.target("not a url", "").errorPrefix, "")
  })

  it("sets the headers once per method, a body's encoding per request", () => {
    const templates = Request.templates("agent/1", undefined)
    assert.deepStrictEqual(Object.keys(templates.GET.headers), ["user-agent"])
    const withToken = Request.templates("agent/1", "Bearer t")
    assert.strictEqual(withToken.PUT.headers.authorization, "Bearer t")
    const request = Request.build(withToken.POST, "http://h.test/v2/acts", undefined)
    assert.strictEqual(request.url, "http://h.test/v2/acts")
    assert.strictEqual(request.method, "POST")
  })
})

describe("endpoint", () => {
  it("decodes {data} with the operation's answer and remembers the raw JSON", () => {
    const endpoint = Endpoint.make(Contract.getEnvVar)
    assert.deepStrictEqual(endpoint.expected, [403, 404])
    assert.strictEqual(endpoint.operation, "ActorEnvVars.get")
    const raw = { name: "A", value: "1", isSecret: false, extra: null }
    const decoded = endpoint.decode!({ data: raw })
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) assert.strictEqual(Endpoint.receivedData(decoded.right), raw)
    assert.isUndefined(Endpoint.make(Contract.deleteEnvVar).decode)
    const withRaw = Endpoint.withRaw(Contract.getEnvVar).decode!({ data: raw })
    assert.isTrue(Either.isRight(withRaw) && withRaw.right[0] === raw)
  })
})

describe("engine", () => {
  it.effect("a client service not built by ApifyClient.make has no engine: a named defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Engine.of({}))
      assert.isTrue(Exit.isFailure(exit))
      assert.include(String(exit), "was not built by ApifyClient.make")
    }))
})
