// The retry countdown is cleared before the command prints (stderr a terminal).
import { ApifyError, Retry } from "@effect-apify/api"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { createHash, randomBytes } from "node:crypto"
import * as http from "node:http"
import type * as net from "node:net"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as Output from "../src/Output.js"
import * as Progress from "../src/Progress.js"

const clearLine = "\r\u001b[2K"
let written: Array<readonly ["out" | "err", string]> = []
const original = {
  tty: process.stderr.isTTY,
  err: process.stderr.write.bind(process.stderr)
}

beforeEach(() => {
  written = []
  process.stderr.isTTY = true
  process.stderr.write =
    ((chunk: string) => (written.push(["err", String(chunk)]), true)) as typeof process.stderr.write
})
afterEach(() => {
  process.stderr.isTTY = original.tty
  process.stderr.write = original.err
})

describe("retry countdown", () => {
  it("is cleared before the output, even while it still counts", async () => {
    await Effect.runPromise(
      Effect.flatMap(Retry.OnRetry, (hook) =>
        hook({
          operation: "ActorVersions.list",
          method: "GET",
          path: "/v2/acts/owner~my-actor/versions",
          attempt: 2,
          delayMillis: 60_000,
          error: new ApifyError.TransportError({
            reason: "Transport",
            detail: "connection reset",
            method: "GET",
            path: "/v2/acts/owner~my-actor/versions",
            attempts: 2
          })
        })).pipe(
          Effect.zipRight(Output.emit(false, {}, () => "VERSION  SOURCE TYPE")),
          Progress.withRetryCountdown,
          (effect) =>
            Console.consoleWith((console) =>
              Effect.withConsole(effect, {
                ...console,
                log: (...args) => Effect.sync(() => void written.push(["out", args.join(" ")]))
              })
            )
        )
    )
    const firstOut = written.findIndex(([stream]) => stream === "out")
    expect(written[firstOut]![1]).toContain("VERSION")
    const before = written.slice(0, firstOut).map(([, text]) => text)
    expect(before.join("")).toContain("retrying in")
    expect(before.at(-1)).toBe(clearLine)
  })
})

describe("upload metering", () => {
  // A loopback server that reads the request body at 16 MiB/s and answers with its length
  // and a hash; a 24 MiB body is more than the kernel's socket buffers take at once.
  const slowServer = () =>
    new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
      const server = http.createServer((request, response) => {
        const hash = createHash("sha256")
        let length = 0
        request.on("data", (chunk: Buffer) => {
          hash.update(chunk)
          length += chunk.length
          request.pause()
          setTimeout(() => request.resume(), (chunk.length / (16 * 1024 * 1024)) * 1000)
        })
        request.on("end", () => response.end(JSON.stringify({ length, sha256: hash.digest("hex") })))
      })
      server.listen(0, "127.0.0.1", () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`,
          close: () => new Promise((done) => server.close(() => done()))
        }))
    })

  it("counts the bytes handed to node:http as they go, and sends the body unchanged", async () => {
    const server = await slowServer()
    const body = randomBytes(24 * 1024 * 1024)
    const upload: Progress.Upload = { sent: 0, total: 0, startedAt: 0, encoding: undefined }
    const samples: Array<number> = []
    const sampler = setInterval(() => samples.push(upload.sent), 20)
    try {
      const answer = await Effect.runPromise(
        Effect.flatMap(HttpClient.HttpClient, (client) =>
          Progress.metered(client).execute(
            HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyUint8Array(body))
          )).pipe(
            Effect.flatMap((response) => response.json),
            Effect.locally(Progress.currentUpload, upload),
            Effect.provide(NodeHttpClient.layer),
            Effect.scoped
          )
      )
      expect(answer).toEqual({ length: body.length, sha256: createHash("sha256").update(body).digest("hex") })
    } finally {
      clearInterval(sampler)
      await server.close()
    }
    expect(upload).toMatchObject({ sent: body.length, total: body.length })
    const partWay = samples.filter((n) => n > 0 && n < body.length)
    expect(partWay.length).toBeGreaterThan(3)
    expect(partWay).toEqual([...partWay].sort((a, b) => a - b))
  }, 30_000)

  it("outside a progress line a request is sent as it is", async () => {
    const request = HttpClientRequest.post("http://127.0.0.1:1/").pipe(
      HttpClientRequest.bodyUint8Array(new Uint8Array(10))
    )
    const seen = await Effect.runPromise(
      Effect.flatMap(
        HttpClient.HttpClient,
        (client) =>
          Progress.metered(client).execute(request).pipe(Effect.flip, Effect.map((error) => error.request.body._tag))
      ).pipe(
        Effect.provide(NodeHttpClient.layer),
        Effect.scoped
      )
    )
    expect(seen).toBe("Uint8Array")
  })
})
