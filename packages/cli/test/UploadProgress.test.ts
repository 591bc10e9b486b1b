// Byte-level upload progress of `versions push`, seen on a real pseudo-terminal (util-linux
// `script`), through a loopback proxy that lets the request body through at 512 KiB/s (the
// upload takes about 2 s; the line is drawn every 100 ms).
import { spawn, spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as net from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, cli, emptyHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0
const bytesPerSecond = 512 * 1024

let emulator: Awaited<ReturnType<typeof startEmulator>>
let proxy: net.Server
const sockets = new Set<net.Socket>()
let env: Record<string, string>
const actor = "owner~upload-actor"
// 1 MiB of random bytes: sent as base64, about 1.3 MiB (gzip saves little).
const dir = writeTree(tempDir(), {
  ".actor/actor.json": JSON.stringify({ actorSpecification: 1, name: "upload-actor", version: "0.1" }),
  "main.js": "console.log('hi')\n",
  "blob.bin": randomBytes(1024 * 1024)
})

// Upstream bytes pass at `bytesPerSecond`; answers pass at once.
const throttlingProxy = (target: URL) =>
  net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("error", () => socket.destroy())
    }
    upstream.pipe(client)
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk)
      client.pause()
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000)
    })
    client.on("end", () => upstream.end())
    client.on("close", () => upstream.destroy())
  })

beforeAll(async () => {
  emulator = await startEmulator()
  proxy = throttlingProxy(new URL(emulator.url))
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve))
  const port = (proxy.address() as net.AddressInfo).port
  env = { APIFY_API_BASE_URL: `http://127.0.0.1:${port}`, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "upload-actor"], { env })).code).toBe(0)
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => proxy.close(resolve))
  await emulator.close()
})

// Runs the executable with stdout and stderr on a pseudo-terminal 100 columns wide; gives
// everything the terminal received.
const onTerminal = (
  args: ReadonlyArray<string>,
  more: Record<string, string> = {}
): Promise<{ code: number | null; screen: string }> => {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  const command = `stty cols 100; exec ${[process.execPath, bin, ...args].map(quote).join(" ")}`
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", HOME: emptyHome(), TERM: "xterm", ...env, ...more },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let screen = ""
    child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, screen }))
  })
}

const clearLine = "\r\u001b[2K"
const size = String.raw`[\d.]+ (B|KiB|MiB)`

describe.skipIf(!hasScript)("upload progress (skipped without util-linux script)", () => {
  it(
    "on a terminal: bytes sent of the total and the rate while the body uploads, cleared before the result",
    async () => {
      const { code, screen } = await onTerminal(["versions", "push", actor, dir, "--version-number", "0.1"])
      expect(code).toBe(0)
      const frames = screen.split(clearLine).map((frame) => frame.replace(/\r?\n$/, ""))
      // Bytes handed to the connection: part-way (`x of y, rate/s`), or all of them while the
      // answer is awaited. On loopback the kernel's socket buffers take the whole body at once,
      // so only the second shows reliably here; Progress.test.ts sees the first with a larger body.
      const uploading = frames.filter((f) =>
        new RegExp(`, (${size} of ${size} gzip, ${size}/s|${size} gzip sent, waiting for the answer) [\\d.]+ s$`)
          .test(f)
      )
      // The body is sent gzipped: its total says so (`1.0 MiB gzip`), not taken for the files' size.
      expect(uploading.length).toBeGreaterThan(3)
      expect(uploading[0]).toMatch(/^[|/\\-] uploading 3 files \([\d.]+ MiB\) to version 0\.1, /)
      // 3 columns stay free for the `^C` a terminal echoes on Ctrl-C.
      for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(97)
      // The result line starts on a cleared line, and nothing follows it on the terminal.
      const result = screen.indexOf("Created version 0.1 of owner~upload-actor")
      expect(result).toBeGreaterThan(0)
      expect(screen.slice(0, result).endsWith(clearLine)).toBe(true)
      expect(screen.slice(result)).toMatch(/^Created version 0\.1 of owner~upload-actor: 3 files, [^\n]+\.\r?\n$/)
    },
    60_000
  )

  it("TERM=dumb: no escape codes, no progress line, the same result", async () => {
    const { code, screen } = await onTerminal(["versions", "push", actor, dir, "--version-number", "0.3"], {
      TERM: "dumb"
    })
    expect(code).toBe(0)
    expect(screen).not.toContain("\u001b")
    expect(screen).toMatch(/^Created version 0\.3 of owner~upload-actor: 3 files, [^\n]+\.\r?\n$/)
  }, 60_000)

  it("not on a terminal: no progress at all, the same result", async () => {
    const result = await cli(["versions", "push", actor, dir, "--version-number", "0.2"], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
    expect(result.stdout).toMatch(/^Created version 0\.2 of owner~upload-actor: 3 files, /)
  }, 60_000)
})
