// `versions push --plan`, the skipped upload of an unchanged push, and `versions diff`,
// through the built executable against the loopback emulator.
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

describe("versions push --plan, unchanged pushes, versions diff", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  const home = makeHome({ secrets: { apiKey: "TOP-SECRET-VALUE" } })
  const actor = "owner~plan-test"
  const run = (args: ReadonlyArray<string>) => cli(args, { env, home })
  const project = () =>
    writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ version: "0.1", environmentVariables: { LOG: "info", KEY: "@apiKey" } }),
      "src/main.js": "console.log(1)\n",
      "src/util.js": "export {}\n",
      "README.md": "# hi\n"
    })
  const requests = () => emulator.run(emulator.server.emulator.requestCount)
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await run(["actors", "create", "plan-test"])).code).toBe(0)
  })
  afterAll(() => emulator.close())

  it("plans a new version as all added, sends nothing, and never prints a secret value", async () => {
    const dir = project()
    const before = await requests()
    const result = await run(["versions", "push", actor, dir, "--plan"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("does not exist (the push creates it)")
    expect(result.stdout).toContain("files:        4 added, 0 removed, 0 changed, 0 unchanged")
    expect(result.stdout + result.stderr).not.toContain("TOP-SECRET-VALUE")
    expect(await requests()).toBe(before + 2) // the version (404), then the Actor
    const listed = await run(["versions", "list", actor, "--json"])
    expect(JSON.parse(listed.stdout)).toEqual([])
  })

  it("skips an unchanged push (exit 0, said on stderr) unless --force; a change is planned exactly", async () => {
    const dir = project()
    const first = await run(["versions", "push", actor, dir])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain("Created version 0.1")

    // Only the secret cannot be compared: it is sent again, so the push is not skipped.
    const withSecret = await run(["versions", "push", actor, dir, "--plan", "--json"])
    expect(JSON.parse(withSecret.stdout).envVars).toEqual({ added: [], removed: [], changed: [], secret: ["KEY"] })
    expect(withSecret.stdout).not.toContain("TOP-SECRET-VALUE")

    fs.writeFileSync(
      path.join(dir, ".actor/actor.json"),
      JSON.stringify({ version: "0.1", environmentVariables: { LOG: "info" } })
    )
    expect((await run(["versions", "push", actor, dir])).code).toBe(0)

    const skipped = await run(["versions", "push", actor, dir])
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toBe("")
    expect(skipped.stderr).toBe(`Version 0.1 of ${actor} is unchanged: nothing sent (--force pushes anyway).\n`)
    const plan = await run(["versions", "push", actor, dir, "--plan"])
    expect(plan.stdout).toContain("No changes: the version is the same as the directory.")

    const forced = await run(["versions", "push", actor, dir, "--force"])
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain("Updated version 0.1")

    fs.writeFileSync(path.join(dir, "src/main.js"), "console.log(2)\n")
    const changed = await run(["versions", "push", actor, dir, "--plan", "--json"])
    expect(changed.code).toBe(0)
    const parsed = JSON.parse(changed.stdout)
    expect(parsed.unchanged).toBe(false)
    expect(parsed.files).toEqual({ added: [], removed: [], changed: ["src/main.js"], unchanged: 3 })
    expect(parsed.envVars).toEqual({ added: [], removed: [], changed: [], secret: [] })
    expect(parsed.buildTag).toBeUndefined()
    expect(parsed.sourceType).toBeUndefined()
    const human = await run(["versions", "push", actor, dir, "--plan"])
    expect(human.stdout).toMatch(/^files: +0 added, 0 removed, 1 changed, 3 unchanged$/m)
    expect(human.stdout).toMatch(/changed\s+src\/main\.js/)
  })

  it("plans env vars by name, the build tag and the source type", async () => {
    expect(
      (await run(["versions", "create", actor, "0.2", "--git-repo", "https://github.com/jane/a", "--env", "OLD=1"]))
        .code
    ).toBe(0)
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ version: "0.2", buildTag: "beta", environmentVariables: { NEW: "x" } }),
      "main.js": "1"
    })
    const result = await run(["versions", "push", actor, dir, "--plan", "--json"])
    const parsed = JSON.parse(result.stdout)
    expect(parsed.sourceType).toEqual({ from: "GIT_REPO", to: "SOURCE_FILES" })
    expect(parsed.buildTag).toEqual({ from: null, to: "beta" }) // created without --build-tag
    expect(parsed.envVars).toEqual({ added: ["NEW"], removed: ["OLD"], changed: [], secret: [] })
  })

  it("a push over the inline limit is planned as a zip (TARBALL), its files compared (see diffLarge)", async () => {
    const dir = writeTree(tempDir(), { "big.bin": crypto.randomBytes(3_300_000), "main.js": "1" })
    const result = await run(["versions", "push", actor, dir, "--version-number", "0.4", "--plan", "--json"])
    expect(result.code).toBe(0)
    const parsed = JSON.parse(result.stdout)
    expect(parsed.files).toEqual({ added: ["big.bin", "main.js"], removed: [], changed: [], unchanged: 0 })
    expect(parsed.sourceType).toEqual({ from: null, to: "TARBALL" })
    const human = await run(["versions", "push", actor, dir, "--version-number", "0.4", "--plan"])
    expect(human.stdout).toMatch(/^files: +2 added, 0 removed, 0 changed, 0 unchanged$/m)
  })

  it("versions diff lists the files added, removed and changed", async () => {
    const dir = writeTree(tempDir(), { "a.txt": "A", "b.txt": "B", "c.txt": "C" })
    expect((await run(["versions", "push", actor, dir, "--version-number", "0.3"])).code).toBe(0)
    fs.rmSync(path.join(dir, "a.txt"))
    fs.writeFileSync(path.join(dir, "b.txt"), "B2")
    fs.writeFileSync(path.join(dir, "d.txt"), "D")
    const json = await run(["versions", "diff", actor, "0.3", dir, "--json"])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      sourceType: "SOURCE_FILES",
      added: ["d.txt"],
      removed: ["a.txt"],
      changed: ["b.txt"],
      unchanged: 1
    })
    const human = await run(["versions", "diff", actor, "0.3", dir])
    expect(human.stdout).toBe(
      "CHANGE   FILE\nadded    d.txt\nremoved  a.txt\nchanged  b.txt\n\n1 added, 1 removed, 1 changed, 1 unchanged\n"
    )
    const missing = await run(["versions", "diff", actor, "9.9", dir])
    expect(missing.code).toBe(4)
  })
})
