/**
 * A scripted loopback server for the builds and key-value store tests (undici underneath), and
 * the build records it answers with.
 */
import { Apify, Retry } from "@effect-apify/api"
import { NodeHttpClient } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

export type Handler = (request: Seen, response: http.ServerResponse) => void

/**
 * A loopback server answering with `handler`; every request recorded, closed with the scope.
 * The client layer retries by `retry` (default: never).
 */
export const serve = (handler: Handler, retry: Layer.Layer<Retry.Retry> = Retry.none) =>
  Effect.gen(function*() {
    const seen: Array<Seen> = []
    const server = yield* Effect.acquireRelease(
      Effect.async<http.Server>((resume) => {
        const s = http.createServer((req, res) => {
          const parts: Array<Buffer> = []
          req.on("data", (part: Buffer) => parts.push(part))
          req.on("end", () => {
            const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(parts) }
            seen.push(request)
            handler(request, res)
          })
        })
        s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.closeAllConnections()
          s.close(() => resume(Effect.void))
        })
    )
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { seen, layer: clientLayer(url, retry), url }
  })

/** The services over undici against `url`. */
export const clientLayer = (url: string, retry: Layer.Layer<Retry.Retry> = Retry.none) =>
  Apify.layer({ baseUrl: url, token: Redacted.make("apify_api_loopbacktoken0123456789") }).pipe(
    Layer.provide(retry),
    Layer.provide(NodeHttpClient.layerUndici)
  )

export const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

export const build = (status: string, extra: Record<string, unknown> = {}) => ({
  data: { id: "B1", actId: "A1", status, buildNumber: "0.1.3", startedAt: "2026-01-01T00:00:00.000Z", ...extra }
})
