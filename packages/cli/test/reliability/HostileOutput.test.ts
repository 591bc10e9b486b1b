/**
 * Server text in every human success path (issue 11): a username, titles, URLs, build tags,
 * env var names and values holding ESC sequences, an OSC 8 link, `\r`, C1 and bidi controls
 * reach the terminal escaped; `--json` gives them back exact.
 */
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, startEmulator } from "../helpers.js"

const hostile = "x\u001b[2J\u001b]0;title\u0007\u001b]8;;http://evil.test\u0007link\u001b]8;;\u0007\r\u009b31m\u202eend"
const escaped = "x\\e[2J\\e]0;title\\x07\\e]8;;http://evil.test\\x07link\\e]8;;\\x07\\r\\x9b31m\\u202eend"
const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/
const token = "apify_api_HostileOutputToken_93ab"
const username = `own${hostile}`

const actorId = "hostileId00000001"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: false,
    users: [{ id: "hostileUserId0001", username, token }]
  })
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: token }
  await Effect.runPromise(
    emulator.server.emulator.seedActor({
      id: actorId,
      name: "seeded-actor",
      title: hostile,
      description: hostile,
      versions: [{
        versionNumber: "0.1",
        sourceType: "GIT_REPO",
        gitRepoUrl: `https://g.test/${hostile}`,
        buildTag: hostile,
        envVars: [{ name: "PLAIN", value: hostile }]
      }, { versionNumber: "0.2", sourceType: "TARBALL", tarballUrl: hostile }]
    })
  )
}, 60_000)
afterAll(() => emulator.close())

/** Runs a command in human mode and in --json mode; the human output must be free of controls. */
const both = async (args: ReadonlyArray<string>) => {
  const human = await cli(args, { env })
  expect(human.code, human.stderr).toBe(0)
  expect(human.stdout + human.stderr).not.toMatch(raw)
  return human
}

describe("server text in human success output is escaped; --json stays exact (issue 11)", () => {
  it("--json gives server text back exact", async () => {
    const result = await cli(["env", "get", actorId, "0.1", "PLAIN", "--json"], { env })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ name: "PLAIN", value: hostile })
    const actor = await cli(["actors", "get", actorId, "--json"], { env })
    expect(JSON.parse(actor.stdout)).toMatchObject({ title: hostile, username })
  })

  it("every success path prints hostile server text escaped", async () => {
    const paths: ReadonlyArray<ReadonlyArray<string>> = [
      ["actors", "create", "new-actor", "--title", "plain"],
      ["actors", "get", actorId],
      ["actors", "list"],
      ["versions", "list", actorId],
      ["versions", "get", actorId, "0.1"],
      ["versions", "create", actorId, "0.3", "--git-repo", "https://g.test/r", "--env", `A=${hostile}`],
      ["versions", "update", actorId, "0.3", "--build-tag", "beta"],
      ["env", "list", actorId, "0.1"],
      ["env", "set", actorId, "0.1", `NEW=${hostile}`],
      ["env", "set", actorId, "0.1", `NEW=${hostile}2`],
      ["env", "unset", actorId, "0.1", "NEW"],
      ["versions", "delete", actorId, "0.2"],
      ["actors", "delete", actorId]
    ]
    const printed: Array<string> = []
    // `env get` into a pipe prints the value's bytes, as `gh variable get` does (docs/cli.md);
    // on a terminal it is escaped (EnvValue.test.ts).
    const value = await cli(["env", "get", actorId, "0.1", "PLAIN"], { env })
    expect(value).toEqual({ code: 0, stdout: `${hostile}\n`, stderr: "" })
    for (const args of paths) printed.push((await both(args)).stdout)
    const all = printed.join("\n")
    expect(all).toContain(escaped)
    expect(all).toContain(`own${escaped}`)
  }, 60_000)
})
