// The small internal modules of the client, each alone: causeText, retryAfter, path, request,
// endpoint, engine, attempt.
import { Contract } from "@effect-apify/domain"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Attempt from "../../src/internal/attempt.js"
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

describe("attempt.unsent", () => {
  const first = "https://api.example.com/v2/acts/x/builds"
  const failed = (cause: Error, url = first) =>
    new HttpClientError.RequestError({ request: HttpClientRequest.post(url), reason: "Transport", cause })
  const coded = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields)
  const refused = (address: string, port: number) =>
    coded(`connect ECONNREFUSED ${address}:${port}`, { code: "ECONNREFUSED", address, port })

  it("a host not found or a refused connection to the attempt's own origin", () => {
    assert.isTrue(
      Attempt.unsent(failed(coded("getaddrinfo ENOTFOUND", { code: "ENOTFOUND", hostname: "api.example.com" })), first)
    )
    assert.isTrue(Attempt.unsent(failed(refused("203.0.113.5", 443)), first))
    assert.isTrue(Attempt.unsent(failed(new TypeError("fetch failed", { cause: refused("203.0.113.5", 443) })), first))
    // Happy Eyeballs: every address tried was refused
    const all = Object.assign(new AggregateError([refused("::1", 443), refused("127.0.0.1", 443)]), {
      code: "ECONNREFUSED"
    })
    assert.isTrue(Attempt.unsent(failed(all), first))
  })

  it("undici's connect timeout, read from its message", () => {
    const timeout = (message: string) => failed(coded(message, { code: "UND_ERR_CONNECT_TIMEOUT" }))
    assert.isTrue(
      Attempt.unsent(timeout("Connect Timeout Error (attempted address: api.example.com:443, timeout: 10000ms)"), first)
    )
    assert.isTrue(
      Attempt.unsent(
        timeout("Connect Timeout Error (attempted addresses: [2001:db8::1]:443, 203.0.113.5:443, timeout: 250ms)"),
        first
      )
    )
    assert.isFalse(
      Attempt.unsent(
        timeout("Connect Timeout Error (attempted address: elsewhere.example.com:443, timeout: 10000ms)"),
        "http://127.0.0.1:443/"
      )
    )
    assert.isFalse(
      Attempt.unsent(
        timeout("Connect Timeout Error (attempted address: api.example.com:8443, timeout: 10000ms)"),
        first
      )
    )
    assert.isFalse(Attempt.unsent(timeout("Connect Timeout Error"), first))
  })

  it("not when the failed connection was to another origin (a redirect's), or the request is another", () => {
    assert.isFalse(
      Attempt.unsent(
        failed(coded("getaddrinfo ENOTFOUND", { code: "ENOTFOUND", hostname: "elsewhere.invalid" })),
        first
      )
    )
    assert.isFalse(Attempt.unsent(failed(refused("203.0.113.5", 8080)), first))
    assert.isFalse(Attempt.unsent(failed(refused("127.0.0.2", 80)), "http://127.0.0.1/v2"))
    const some = Object.assign(new AggregateError([refused("::1", 443), refused("127.0.0.1", 80)]), {
      code: "ECONNREFUSED"
    })
    assert.isFalse(Attempt.unsent(failed(some), first))
    assert.isFalse(Attempt.unsent(failed(refused("203.0.113.5", 443), "https://elsewhere.example.com/x"), first))
    assert.isFalse(Attempt.unsent(failed(new Error("socket hang up")), first))
    assert.isFalse(Attempt.unsent(failed(coded("getaddrinfo ENOTFOUND", { code: "ENOTFOUND" })), first))
  })
})
