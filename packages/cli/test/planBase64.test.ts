// A version whose BASE64 file is not base64 (`aGVs*bG8K`: Buffer.from would skip the `*` and
// read "hello\n"), created through the emulator's API: `versions diff` and `--plan` list it as
// changed with a note, and `versions push` replaces it (it is not skipped as unchanged), as
// `versions pull` refuses it. Through the built executable against the loopback emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, emptyHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

describe("a version's BASE64 content that is not base64", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  const actor = "owner~bad-base64"
  const run = (args: ReadonlyArray<string>) => cli(args, { env, home: emptyHome() })
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await run(["actors", "create", "bad-base64"])).code).toBe(0)
    const created = await fetch(`${emulator.url}/v2/acts/${actor}/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        versionNumber: "0.1",
        sourceType: "SOURCE_FILES",
        buildTag: "latest",
        sourceFiles: [
          { name: "a.txt", format: "BASE64", content: "aGVs*bG8K" },
          { name: "b.txt", format: "BASE64", content: "Ygo=" }
        ]
      })
    })
    expect(created.status).toBe(201)
  })
  afterAll(() => emulator.close())

  const note = `the version's BASE64 content is not base64 ("*" at character 4)`

  it("diff and --plan list it as changed with a note; push replaces it; pull then reads it", async () => {
    const dir = writeTree(tempDir(), { "a.txt": "hello\n", "b.txt": "b\n" })
    const pulled = await run(["versions", "pull", actor, "0.1", tempDir()])
    expect(pulled.code).toBe(2)

    const json = await run(["versions", "diff", actor, "0.1", dir, "--json"])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      sourceType: "SOURCE_FILES",
      added: [],
      removed: [],
      changed: ["a.txt"],
      unchanged: 1,
      notes: { "a.txt": note }
    })
    const text = await run(["versions", "diff", actor, "0.1", dir])
    expect(text.stdout).toMatch(new RegExp(`^changed +a\\.txt \\(${note.replace(/[()*.]/g, "\\$&")}\\)$`, "m"))

    const plan = await run(["versions", "push", actor, dir, "--version-number", "0.1", "--plan", "--json"])
    const parsed = JSON.parse(plan.stdout)
    expect([parsed.unchanged, parsed.files]).toEqual([false, {
      added: [],
      removed: [],
      changed: ["a.txt"],
      unchanged: 1,
      notes: { "a.txt": note }
    }])

    const pushed = await run(["versions", "push", actor, dir, "--version-number", "0.1"])
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(/^Updated version 0\.1 /)
    const into = tempDir()
    expect((await run(["versions", "pull", actor, "0.1", into, "--force"])).code).toBe(0)
    const again = await run(["versions", "diff", actor, "0.1", dir])
    expect(again.stdout).toMatch(/^No file differs/)
  })
})
