// End to end: the built executable against a loopback emulator, every command, human and
// --json output, exit codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
})
afterAll(() => emulator.close())

const ok = async (args: ReadonlyArray<string>) => {
  const result = await cli(args, { env })
  expect(result.stderr).toBe("")
  expect(result.code).toBe(0)
  return result.stdout
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON records, checked by the assertions
type Json = any
const json = async (args: ReadonlyArray<string>): Promise<Json> => JSON.parse(await ok([...args, "--json"]))

describe("actors", () => {
  it("create, get and delete, as tables and as JSON", async () => {
    const created = await ok(["actors", "create", "cmd-actor", "--title", "Commands", "--description", "d"])
    expect(created).toMatch(/^Created Actor owner~cmd-actor \([A-Za-z0-9]{17}\)\.\n/)
    expect(created).toMatch(/^title: +Commands$/m)
    expect(created).toMatch(/^public: +no$/m)

    const record = await json(["actors", "get", "owner/cmd-actor"])
    expect(record).toMatchObject({ name: "cmd-actor", username: "owner", title: "Commands", description: "d" })
    const byId = await json(["actors", "get", record.id])
    expect(byId.id).toBe(record.id)

    const again = await cli(["actors", "create", "cmd-actor"], { env })
    expect(again.code).toBe(5)
    expect(again.stdout).toBe("")
    expect(again.stderr).toMatch(/^Error: create Actor cmd-actor failed: .+ Hint: choose another name/)

    expect(await ok(["actors", "delete", "owner~cmd-actor"])).toBe("Deleted Actor owner~cmd-actor.\n")
    const gone = await cli(["actors", "get", "owner~cmd-actor"], { env })
    expect([gone.code, gone.stdout]).toEqual([4, ""])
  })

  it("--json create prints exactly the record", async () => {
    const result = await cli(["actors", "create", "json-actor", "--public", "--json"], { env })
    expect(result.code).toBe(0)
    const record = JSON.parse(result.stdout)
    expect(record).toMatchObject({ name: "json-actor", isPublic: true })
    expect(result.stdout.trim().startsWith("{")).toBe(true)
  })

  it("refuses a bad Actor name before sending", async () => {
    const before = await emulator.run(emulator.server.emulator.requestCount)
    const result = await cli(["actors", "create", "Bad_Name"], { env })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^Error: create Actor Bad_Name failed: Actor name "Bad_Name" is not valid/)
    expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
  })
})

describe("versions", () => {
  const actor = "owner~ver-actor"
  beforeAll(async () => {
    await ok(["actors", "create", "ver-actor"])
  })

  it("create from each source, list, get, update, delete", async () => {
    const git = await ok(["versions", "create", actor, "0.1", "--git-repo", "https://github.com/a/b#main:src"])
    expect(git).toMatch(/^Created version 0\.1 of owner~ver-actor\./)
    expect(git).toMatch(/^source type: +GIT_REPO$/m)

    const tarball = await json([
      "versions",
      "create",
      actor,
      "0.2",
      "--tarball",
      "https://example.com/a.zip",
      "--build-tag",
      "beta",
      "--env",
      "A=1",
      "--env",
      "B=x=y",
      "--apply-env-vars-to-build"
    ])
    expect(tarball).toEqual({
      versionNumber: "0.2",
      sourceType: "TARBALL",
      tarballUrl: "https://example.com/a.zip",
      buildTag: "beta",
      applyEnvVarsToBuild: true,
      envVars: [{ name: "A", value: "1", isSecret: false }, { name: "B", value: "x=y", isSecret: false }]
    })

    const gist = await json(["versions", "create", actor, "0.3", "--gist", "https://gist.github.com/a/1"])
    expect(gist).toMatchObject({ sourceType: "GITHUB_GIST", gitHubGistUrl: "https://gist.github.com/a/1" })

    const dir = writeTree(tempDir(), { "main.js": "console.log(1)\n", "lib/a.json": "{}" })
    const files = await json(["versions", "create", actor, "0.4", "--source-dir", dir])
    expect(files.sourceType).toBe("SOURCE_FILES")
    expect(files.sourceFiles).toEqual([
      { name: "lib", folder: true },
      { name: "lib/a.json", format: "TEXT", content: "{}" },
      { name: "main.js", format: "TEXT", content: "console.log(1)\n" }
    ])

    const table = await ok(["versions", "list", actor])
    expect(table.split("\n")[0]).toMatch(/^VERSION +SOURCE TYPE +BUILD TAG +ENV VARS +SOURCE$/)
    expect(table).toMatch(/^0\.2 +TARBALL +beta +2 +https:\/\/example\.com\/a\.zip$/m)
    expect(table).toMatch(/^0\.4 +SOURCE_FILES +0 +2 files$/m)

    const list = await json(["versions", "list", actor])
    expect(list.map((v: Json) => v.versionNumber)).toEqual(["0.1", "0.2", "0.3", "0.4"])

    const got = await json(["versions", "get", actor, "0.2"])
    expect(got).toEqual(tarball)
    const details = await ok(["versions", "get", actor, "0.4"])
    expect(details).toMatch(/^FILE +FORMAT +SIZE$/m)
    expect(details).toMatch(/^lib\/ +folder$/m)

    // update changes only what is given
    const updated = await json(["versions", "update", actor, "0.2", "--build-tag", "latest"])
    expect(updated).toEqual({ ...tarball, buildTag: "latest" })
    const switched = await json([
      "versions",
      "update",
      actor,
      "0.2",
      "--git-repo",
      "https://github.com/a/c",
      "--no-apply-env-vars-to-build",
      "--use-post"
    ])
    expect(switched).toMatchObject({
      sourceType: "GIT_REPO",
      gitRepoUrl: "https://github.com/a/c",
      applyEnvVarsToBuild: false,
      buildTag: "latest",
      envVars: tarball.envVars
    })

    expect(await ok(["versions", "delete", actor, "0.3"])).toBe("Deleted version 0.3 of owner~ver-actor.\n")
    expect(await ok(["versions", "delete", actor, "0.4", "--json"])).toBe("")
    expect((await json(["versions", "list", actor])).length).toBe(2)
  })

  it("names the error of each kind, with the right exit code", async () => {
    const exists = await cli(["versions", "create", actor, "0.1", "--git-repo", "https://x/y"], { env })
    expect([exists.code, exists.stdout]).toEqual([5, ""])
    expect(exists.stderr).toMatch(/^Error: create version 0\.1 of owner~ver-actor failed: .+ Hint: change it with/)

    const missing = await cli(["versions", "get", actor, "9.9"], { env })
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain("effect-apify versions list owner~ver-actor")

    const noActor = await cli(["versions", "list", "owner~nope-nope"], { env })
    expect(noActor.code).toBe(4)

    const bad = await cli(["versions", "get", actor, "1.0.0"], { env })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      "Error: get version 1.0.0 of owner~ver-actor failed: version number \"1.0.0\" is not valid. " +
        "Hint: a version number is MAJOR.MINOR, each part 0-99 without leading zeros, e.g. 0.1 or 1.12.\n"
    )

    const twoSources = await cli(["versions", "create", actor, "0.5", "--git-repo", "a", "--tarball", "b"], { env })
    expect(twoSources.code).toBe(2)
    expect(twoSources.stderr).toContain("give one source, not --git-repo and --tarball")

    const noSource = await cli(["versions", "create", actor, "0.5"], { env })
    expect(noSource.code).toBe(2)
    const nothing = await cli(["versions", "update", actor, "0.1"], { env })
    expect([nothing.code, nothing.stderr]).toEqual([2, expect.stringContaining("nothing to change")])

    const badEnv = await cli(["versions", "create", actor, "0.5", "--tarball", "u", "--env", "NOVALUE"], { env })
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toContain("--env expects NAME=VALUE")
  })

  it("refuses to delete the last version (conflict)", async () => {
    await ok(["actors", "create", "last-actor"])
    await ok(["versions", "create", "owner~last-actor", "0.0", "--git-repo", "https://g/h"])
    const result = await cli(["versions", "delete", "owner~last-actor", "0.0"], { env })
    expect(result.code).toBe(5)
    expect(result.stderr).toMatch(/Hint: an Actor keeps at least one version/)
  })
})

describe("env", () => {
  const actor = "owner~env-actor"
  beforeAll(async () => {
    await ok(["actors", "create", "env-actor"])
    await ok(["versions", "create", actor, "0.1", "--git-repo", "https://g/h"])
  })

  it("set, list, get, change and unset", async () => {
    expect(await ok(["env", "set", actor, "0.1", "LOG=debug"])).toBe(
      "Set LOG=debug on version 0.1 of owner~env-actor.\n"
    )
    expect(await ok(["env", "set", actor, "0.1", "LOG=info"])).toBe(
      "Changed LOG=info on version 0.1 of owner~env-actor.\n"
    )
    expect(await ok(["env", "get", actor, "0.1", "LOG"])).toBe("info\n")
    expect(await json(["env", "get", actor, "0.1", "LOG"])).toEqual({ name: "LOG", value: "info", isSecret: false })

    const secret = await cli(["env", "set", actor, "0.1", "KEY=hush-hush-value", "--secret", "--verbose"], { env })
    expect(secret).toEqual({ code: 0, stdout: "Set KEY (secret) on version 0.1 of owner~env-actor.\n", stderr: "" })
    const snapshot = await emulator.run(emulator.server.emulator.snapshot)
    expect(JSON.stringify(snapshot)).toContain("hush-hush-value")

    const table = await ok(["env", "list", actor, "0.1"])
    expect(table).toBe("NAME  VALUE     SECRET\nLOG   info      no\nKEY   (secret)  yes\n")
    expect(await json(["env", "list", actor, "0.1"])).toEqual([
      { name: "LOG", value: "info", isSecret: false },
      { name: "KEY", isSecret: true }
    ])
    // A secret: nothing on stdout (a script capturing it gets no sentence), a note on stderr, exit 2.
    const getSecret = await cli(["env", "get", actor, "0.1", "KEY"], { env })
    expect(getSecret.code).toBe(2)
    expect(getSecret.stdout).toBe("")
    expect(getSecret.stderr).toContain("KEY is a secret; its value is never shown")
    expect(getSecret.stderr).not.toContain("hush-hush-value")
    expect(await json(["env", "get", actor, "0.1", "KEY"])).toEqual({ name: "KEY", isSecret: true })

    expect(await ok(["env", "unset", actor, "0.1", "LOG"])).toBe("Unset LOG on version 0.1 of owner~env-actor.\n")
    const gone = await cli(["env", "get", actor, "0.1", "LOG"], { env })
    expect(gone.code).toBe(4)
    expect(gone.stderr).toContain("effect-apify env list owner~env-actor 0.1")
    const unsetAgain = await cli(["env", "unset", actor, "0.1", "LOG"], { env })
    expect(unsetAgain.code).toBe(4)
  })

  it("refuses bad names and assignments locally", async () => {
    const noEquals = await cli(["env", "set", actor, "0.1", "JUSTNAME"], { env })
    expect(noEquals.code).toBe(2)
    expect(noEquals.stderr).toContain("NAME=VALUE expects NAME=VALUE")
    const long = await cli(["env", "get", actor, "0.1", "N".repeat(101)], { env })
    expect(long.code).toBe(2)
  })

  it("token from ~/.apify/auth.json", async () => {
    const home = makeHome({ auth: { token: ownerToken, username: "owner" } })
    const result = await cli(["env", "list", actor, "0.1", "--json"], {
      home,
      env: { APIFY_API_BASE_URL: emulator.url }
    })
    expect(result.code).toBe(0)
  })
})

describe("actors list", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  beforeAll(async () => {
    emulator = await startEmulator()
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    for (const name of ["list-one", "list-two", "list-three"]) {
      expect((await cli(["actors", "create", name], { env })).code).toBe(0)
    }
  })
  afterAll(() => emulator.close())

  it("a table of a page, and how to get the next", async () => {
    const result = await cli(["actors", "list", "--my", "--limit", "2"], { env })
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^ACTOR\s+ID\s+TITLE\s+MODIFIED$/)
    expect(lines[1]).toMatch(/^owner~list-one /)
    expect(lines[2]).toMatch(/^owner~list-two /)
    // Piped: stdout holds only the table; the notice, with the --limit given, is on stderr.
    expect(lines).toHaveLength(3)
    expect(result.stderr).toBe("Showing 1-2 of 3. Next page: --offset 2 --limit 2\n")
    const next = await cli(["actors", "list", "--my", "--limit", "2", "--offset", "2"], { env })
    expect(next.stdout).toContain("owner~list-three")
    expect(next.stderr).toBe("Showing 3-3 of 3.\n")
    const past = await cli(["actors", "list", "--my", "--offset", "5"], { env })
    expect(past).toEqual({ code: 0, stdout: "", stderr: "No Actors past 5.\n" })
  })

  it("--json is the items as received, newest first with --desc", async () => {
    const result = await cli(["actors", "list", "--my", "--desc", "--json"], { env })
    expect(result.code).toBe(0)
    const items = JSON.parse(result.stdout) as Array<{ name: string; username: string }>
    expect(items.map((i) => i.name)).toEqual(["list-three", "list-two", "list-one"])
    expect(items[0]!.username).toBe("owner")
  })

  it("refuses a limit out of range before sending", async () => {
    const result = await cli(["actors", "list", "--limit", "0"], { env })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--limit must be 1 to 1000")
  })
})
