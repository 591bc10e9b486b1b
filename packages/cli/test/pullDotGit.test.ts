// `versions pull` never writes into git's own folder (found by an outside attack: a version
// holding `.git/config` with `fsmonitor = "touch /tmp/pwned"`, pulled with --force into a git
// repository, overwrote its config, and the next `git status` ran the command). A name with a
// part git takes for `.git` (any letter case, trailing dots or spaces, an NTFS stream, the
// short name `git~1`, code points HFS+ ignores) is refused, exit 2, nothing written, through
// the built executable against the loopback emulator and a loopback server for the zip.
import { strToU8 } from "fflate"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, postVersion, startEmulator, tempDir, writeTree } from "./helpers.js"
import { buildZip } from "./zipBytes.js"

const hostileConfig = "[core]\n\tfsmonitor = \"touch /tmp/effect-apify-pwned\"\n"
const repoConfig = "[core]\n\trepositoryformatversion = 0\n"

describe("versions pull of a version holding git's folder", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  let server: http.Server
  let zipUrl: string
  let served: Uint8Array = new Uint8Array(0)
  const home = makeHome({})
  const actor = "owner~pull-dotgit"
  let next = 0
  const create = async (body: unknown) => {
    expect(await postVersion(emulator.url, actor, body)).toBe(201)
  }
  const pull = async (source: Record<string, unknown>, target: string, flags: ReadonlyArray<string> = []) => {
    const versionNumber = `1.${next++}`
    await create({ versionNumber, ...source })
    return cli(["versions", "pull", actor, versionNumber, target, ...flags], { env, home })
  }
  const files = (names: ReadonlyArray<string>) => ({
    sourceType: "SOURCE_FILES",
    sourceFiles: names.map((name) => ({ name, format: "TEXT", content: hostileConfig }))
  })
  // A git repository as `git init` leaves it, as far as the test needs.
  const repository = () =>
    writeTree(tempDir(), { ".git/config": repoConfig, ".git/HEAD": "ref: refs/heads/main\n", "main.js": "old\n" })

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "pull-dotgit"], { env, home })).code).toBe(0)
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/zip", connection: "close" })
      res.end(served)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    zipUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v.zip`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await emulator.close()
  })

  it("a TARBALL with .git/config pulled with --force into a repository: refused, its config untouched", async () => {
    served = buildZip([
      { name: "main.js", data: strToU8("new\n") },
      { name: ".git/config", data: strToU8(hostileConfig) },
      { name: ".git/hooks/post-checkout", data: strToU8("#!/bin/sh\ntouch /tmp/effect-apify-pwned\n") }
    ])
    const repo = repository()
    const result = await pull({ sourceType: "TARBALL", tarballUrl: zipUrl }, repo, ["--force"])
    expect(result.stderr).toContain(
      "refused 2 names in the version: \".git/config\" (a part is git's folder .git, or a name git takes for it)"
    )
    expect(result.stderr).toContain("nothing was written")
    expect(result.code).toBe(2)
    expect(fs.readFileSync(path.join(repo, ".git/config"), "utf8")).toBe(repoConfig)
    expect(fs.existsSync(path.join(repo, ".git/hooks"))).toBe(false)
    expect(fs.readFileSync(path.join(repo, "main.js"), "utf8")).toBe("old\n")
  })

  it("without --force, a .git file the repository lacks is not made either", async () => {
    const repo = repository()
    const result = await pull(files(["main2.js", ".git/hooks/pre-commit"]), repo)
    expect(result.stderr).toContain("\".git/hooks/pre-commit\" (a part is git's folder .git")
    expect(result.code).toBe(2)
    expect(fs.readdirSync(path.join(repo, ".git")).sort()).toEqual(["HEAD", "config"])
    expect(fs.existsSync(path.join(repo, "main2.js"))).toBe(false)
  })

  it("refuses every name git takes for .git, at any depth, into a new directory", async () => {
    const aliases = [
      ".GIT/config",
      ".Git/hooks/pre-commit",
      "sub/.git/config",
      ".git./config",
      ".git . /config",
      "GIT~1/config",
      ".git::$INDEX_ALLOCATION/config",
      ".g\u200cit/config",
      "\ufeff.git/config"
    ]
    const outside = tempDir()
    const result = await pull(files(["ok.txt", ...aliases]), path.join(outside, "inner"))
    expect(result.stderr).toContain(`refused ${aliases.length} names in the version:`)
    for (const name of aliases.slice(0, 5)) expect(result.stderr).toContain(JSON.stringify(name))
    expect(result.stderr).toContain(`and ${aliases.length - 5} more`)
    expect(result.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
    for (const name of aliases.slice(5)) {
      const alone = await pull(files([name]), path.join(outside, "inner"))
      expect(alone.stderr, name).toContain("(a part is git's folder .git, or a name git takes for it)")
      expect(alone.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
    }
  })

  it("names that only look like .git are pulled", async () => {
    const names = [".gitignore", ".github/workflows/ci.yml", "x.git/a", ".git-keep", "git~2/a", ".gitx/a"]
    const target = path.join(tempDir(), "inner")
    const result = await pull(files(names), target)
    expect(result.stderr).toContain(`Pulled version`)
    expect(result.code).toBe(0)
    for (const name of names) expect(fs.readFileSync(path.join(target, name), "utf8")).toBe(hostileConfig)
  })
})
