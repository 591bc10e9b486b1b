// End to end through the binary: the memory of a push that zips does not grow with what it
// zips, nor that of an unchanged push with what it compares. A zip push of 3,000 small files
// and a 20 MB file peaked 65 MB above a push of one file when fflate deflated each file (about
// 260 KiB of tables per file, and its output's size per piece, left to the garbage
// collector); with Node's zlib and one read buffer, about 20 MB above. An unchanged push of
// the same files and a 60 MB file inflates every entry of the version's zip to compare it:
// with a zlib stream per entry (a 64 KiB buffer made with each, one more per piece) it peaked
// 54-58 MB above; with pako's inflate into buffers made once, 32-34. The full figures
// (100 MB + 10,000 files, 200 MB) are bench/push.ts's.
//
// The peak is the child's own (VmHWM): on Linux, getrusage's maxRSS keeps the peak of the
// process it was spawned from (this test's worker, often larger than the push) across exec.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({})
const actor = "owner~memory-actor"
const work = tempDir()
const preload = path.join(work, "max-rss.cjs")
fs.writeFileSync(
  preload,
  `process.on("exit", () => {
    const fs = require("fs")
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))
    fs.writeFileSync(process.env.MAX_RSS_FILE, hwm === null ? "" : hwm[1])
  })`
)

const small = writeTree(path.join(work, "small"), {
  ".actor/actor.json": "{}",
  "main.js": "console.log('small')\n"
})
const large = writeTree(path.join(work, "large"), { ".actor/actor.json": "{}" })
for (let folder = 0; folder < 30; folder++) {
  fs.mkdirSync(path.join(large, `src${folder}`))
  for (let i = 0; i < 100; i++) {
    fs.writeFileSync(path.join(large, `src${folder}`, `file${i}.js`), "x".repeat(199) + "\n")
  }
}
fs.writeFileSync(path.join(large, "data.txt"), Buffer.alloc(20 * 1024 * 1024, 0x61))
// The same files and a 60 MB file, for the unchanged push.
const compared = path.join(work, "compared")
fs.cpSync(large, compared, { recursive: true })
fs.writeFileSync(path.join(compared, "data.txt"), Buffer.alloc(60 * 1024 * 1024, 0x61))

// Peak resident memory of one push, in MB, read by the child itself at exit.
const peakOfPush = async (
  directory: string,
  versionNumber: string,
  force = true
): Promise<{ stdout: string; stderr: string; mb: number }> => {
  const file = path.join(work, `rss-${versionNumber}-${force}.txt`)
  const result = await cli(
    ["versions", "push", actor, directory, "--version-number", versionNumber, ...(force ? ["--force"] : [])],
    { env: { ...env, NODE_OPTIONS: `--require ${preload}`, MAX_RSS_FILE: file }, home }
  )
  expect(result.code).toBe(0)
  const kib = Number(fs.readFileSync(file, "utf8"))
  expect(kib).toBeGreaterThan(0)
  return { stdout: result.stdout, stderr: result.stderr, mb: kib / 1024 }
}

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "memory-actor"], { env, home })).code).toBe(0)
})
afterAll(async () => {
  await emulator.close()
  fs.rmSync(work, { recursive: true, force: true })
})

describe.runIf(fs.existsSync("/proc/self/status"))("versions push memory", () => {
  it("a zip push of 3,000 files and 20 MB peaks less than 50 MB above a push of one file", async () => {
    const one = await peakOfPush(small, "0.1")
    const zipped = await peakOfPush(large, "0.2")
    expect([one.stderr, zipped.stderr]).toEqual(["", ""])
    expect(zipped.stdout).toMatch(/: 3,002 files, a [\d.]+ KiB zip,/)
    const message = `${zipped.mb.toFixed(1)} MB against ${one.mb.toFixed(1)} MB`
    expect(zipped.mb - one.mb, message).toBeLessThan(50)
  })

  it("an unchanged push of 3,000 files and 60 MB (the zip inflated, compared) peaks < 45 MB above", async () => {
    await peakOfPush(compared, "0.3")
    const one = await peakOfPush(small, "0.1")
    const unchanged = await peakOfPush(compared, "0.3", false)
    expect(unchanged.stderr).toBe(`Version 0.3 of ${actor} is unchanged: nothing sent (--force pushes anyway).\n`)
    const message = `${unchanged.mb.toFixed(1)} MB against ${one.mb.toFixed(1)} MB`
    expect(unchanged.mb - one.mb, message).toBeLessThan(45)
  })
})
