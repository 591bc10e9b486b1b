// A file that grows between the walk and its read is refused (found by an outside attack: the
// 2 GiB total a push checks used the walk's sizes, but the zip took each file at its size when
// opened, so a file grown to 2.3 GB after the walk was uploaded, and pull refused the version).
// Through the built executable against the loopback emulator; the growth is made by a preload
// that enlarges grow.bin the first time the push opens it for reading, between the walk and the
// zip. The push exits 2 naming the file, and nothing is uploaded: the version and its record are
// as the previous push left them.
import { unzipSync } from "fflate"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~grow-actor"

// Grows the file named grow.bin to GROW_TO bytes when it is first opened without blocking (as
// the push opens a file to read it), before that open.
const preload = path.join(tempDir(), "grow.cjs")
fs.writeFileSync(
  preload,
  `const fs = require("fs")
  const open = fs.openSync
  let grown = false
  fs.openSync = function (file, flags, ...rest) {
    if (!grown && typeof file === "string" && file.endsWith("/grow.bin") && typeof flags === "number" &&
      (flags & fs.constants.O_NONBLOCK) !== 0) {
      grown = true
      fs.truncateSync(file, Number(process.env.GROW_TO))
    }
    return open.call(this, file, flags, ...rest)
  }`
)

const tarballOf = async (version: string) => {
  const got = await cli(["versions", "get", actor, version, "--json"], { env, home })
  expect(got.code).toBe(0)
  return JSON.parse(got.stdout) as { tarballUrl: string }
}
const zipAt = async (url: string) => unzipSync(new Uint8Array(await (await fetch(url)).arrayBuffer()))

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "grow-actor"], { env, home })).code).toBe(0)
})
afterAll(() => emulator.close())

describe("versions push of a file that grows after the walk", () => {
  it("is refused, exit 2, naming the file; the version and its zip stay as they were", async () => {
    const blob = new Uint8Array(crypto.randomBytes(3_500_000))
    const dir = writeTree(tempDir(), { "blob.bin": blob, "grow.bin": "1" })
    const first = await cli(["versions", "push", actor, dir, "--version-number", "0.9"], { env, home })
    expect(first.code).toBe(0)
    const before = await tarballOf("0.9")
    fs.writeFileSync(path.join(dir, "grow.bin"), "2")
    for (const [growTo, shown] of [[1000, "it had 1 B then, 1000 B when opened"], [3_000_000, "1 B then, 2.9 MiB"]]) {
      const grown = await cli(["versions", "push", actor, dir, "--version-number", "0.9", "--force"], {
        env: { ...env, NODE_OPTIONS: `--require ${preload}`, GROW_TO: String(growTo) },
        home
      })
      expect(grown.stderr).toContain("grow.bin changed after the directory was read:")
      expect(grown.stderr).toContain(shown)
      expect(grown.stderr).toContain(
        "Hint: run the command again once nothing writes to the directory; nothing was uploaded."
      )
      expect(grown.code).toBe(2)
      expect(await tarballOf("0.9")).toEqual(before)
      const entries = await zipAt(before.tarballUrl)
      expect(Buffer.from(entries["grow.bin"]!).toString()).toBe("1")
      fs.writeFileSync(path.join(dir, "grow.bin"), "2")
    }
    const again = await cli(["versions", "push", actor, dir, "--version-number", "0.9"], { env, home })
    expect(again.code).toBe(0)
    expect(Buffer.from((await zipAt(before.tarballUrl))["grow.bin"]!).toString()).toBe("2")
  }, 60_000)
})
