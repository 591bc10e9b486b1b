/**
 * Hostile world (issue 11), careless or hostile input to the binary: a base URL with a query,
 * fragment, user name or password, or another scheme (refused with exit 2, nothing sent, no
 * password shown); `--timeout` and `--max-retries` read only as plain decimal numbers within
 * their documented bounds; `.actor/actor.json` naming a secret such as `@toString` or
 * `@__proto__` finds no built-in of a plain object (it is "not in ~/.apify/secrets.json").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, tempDir, writeTree } from "../helpers.js"
import { listenLoopback, type LoopbackServer } from "./harness.js"

let server: LoopbackServer
let requests: Array<string> = []
beforeAll(async () => {
  server = await listenLoopback((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.writeHead(204)
    res.end()
  })
})
afterAll(() => server.close())

const PASSWORD = "hunter2-pa55w0rd"

describe("hostile input: base URLs", () => {
  it(
    "a query, fragment, userinfo or other scheme is refused with exit 2, unsent, the password never shown",
    async () => {
      const bad = [
        [`${server.url}/ok#`, "fragment"],
        [`${server.url}/ok#x`, "fragment"],
        [`${server.url}/ok?`, "query"],
        [`${server.url}/ok?a=1`, "query"],
        [server.url.replace("http://", `http://user:${PASSWORD}@`), "user name or password"],
        [server.url.replace("http://", `http://${PASSWORD}@`), "user name or password"],
        ["file:///etc/passwd", "\"file:\""],
        ["javascript:alert(1)", "\"javascript:\""]
      ] as const
      for (const [baseUrl, says] of bad) {
        for (const via of ["flag", "env"] as const) {
          requests = []
          const args = ["versions", "delete", "me~actor", "0.1", "--token", "apify_api_x1234567", "--verbose"]
          const result = via === "flag"
            ? await cli([...args, "--base-url", baseUrl])
            : await cli(args, { env: { APIFY_API_BASE_URL: baseUrl } })
          expect({ baseUrl, via, code: result.code }).toEqual({ baseUrl, via, code: 2 })
          expect(result.stderr).toContain(says)
          expect(result.stderr).toContain(via === "flag" ? "(from --base-url)" : "(from APIFY_API_BASE_URL)")
          expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD)
          expect(result.stdout).toBe("")
          expect(requests).toEqual([])
        }
      }
    },
    60_000
  )
})

describe("hostile input: --timeout and --max-retries", () => {
  const run = (flag: string, value: string) =>
    cli(["actors", "delete", "me~actor", "--token", "apify_api_x1234567", "--base-url", server.url, flag, value])

  it("only plain decimal numbers within the bounds are taken (exit 2 otherwise, nothing sent)", async () => {
    const refused: ReadonlyArray<readonly [string, string]> = [
      ["--timeout", "0x10"],
      ["--timeout", "1e-9"],
      ["--timeout", "1e308"],
      ["--timeout", "Infinity"],
      ["--timeout", "-1"],
      ["--timeout", "0"],
      ["--timeout", "0.0001"],
      ["--timeout", "86401"],
      ["--timeout", " 5"],
      ["--max-retries", "101"],
      ["--max-retries", "1e2"],
      ["--max-retries", "0x10"],
      ["--max-retries", "-1"],
      ["--max-retries", "1.5"],
      ["--max-retries", "99999999999"]
    ]
    for (const [flag, value] of refused) {
      requests = []
      const result = await run(flag, value)
      expect({ flag, value, code: result.code }).toEqual({ flag, value, code: 2 })
      expect(result.stderr).toContain(flag)
      expect(requests).toEqual([])
    }
    const taken: ReadonlyArray<readonly [string, string]> = [
      ["--timeout", "16"],
      ["--timeout", "0.5"],
      ["--timeout", "86400"],
      ["--max-retries", "0"],
      ["--max-retries", "100"]
    ]
    for (const [flag, value] of taken) {
      requests = []
      const result = await run(flag, value)
      expect({ flag, value, code: result.code, stderr: result.stderr }).toEqual({ flag, value, code: 0, stderr: "" })
      expect(requests).toEqual(["DELETE /v2/acts/me~actor"])
    }
  }, 60_000)
})

describe("hostile input: secret names that are built-ins of an object", () => {
  it("@toString, @constructor, @__proto__ and @hasOwnProperty are missing secrets, as any other", async () => {
    const home = makeHome({ secrets: JSON.parse("{\"real\":\"r3al-secret-value\",\"__proto__\":\"proto-value\"}") })
    for (const name of ["toString", "constructor", "hasOwnProperty", "valueOf"]) {
      const dir = writeTree(tempDir("effect-apify-proto-"), {
        ".actor/actor.json": JSON.stringify({
          actorSpecification: 1,
          name: "a",
          version: "0.1",
          environmentVariables: { A: `@${name}` }
        }),
        "main.js": "1"
      })
      const refused = await cli(["versions", "push", "me~actor", dir, "--dry-run", "--json"], { home })
      expect({ name, code: refused.code }).toEqual({ name, code: 2 })
      expect(refused.stderr).toContain(`@${name} used in .actor/actor.json is not in ~/.apify/secrets.json`)
      const allowed = await cli(
        ["versions", "push", "me~actor", dir, "--dry-run", "--json", "--allow-missing-secrets"],
        {
          home
        }
      )
      expect({ name, code: allowed.code, stderr: allowed.stderr }).toEqual({
        name,
        code: 0,
        stderr: expect.any(String)
      })
      expect(allowed.stdout).not.toContain("environmentVariables\":[{")
    }
    // an own "__proto__" key of secrets.json is a secret like any other
    const dir = writeTree(tempDir("effect-apify-proto-"), {
      ".actor/actor.json": JSON.stringify({
        actorSpecification: 1,
        name: "a",
        version: "0.1",
        environmentVariables: { A: "@__proto__", B: "@real" }
      }),
      "main.js": "1"
    })
    const found = await cli(["versions", "push", "me~actor", dir, "--dry-run", "--json"], { home })
    expect({ code: found.code, stderr: found.stderr }).toEqual({ code: 0, stderr: expect.any(String) })
    expect(found.stdout).toContain("\"A\"")
    expect(found.stdout).not.toContain("proto-value")
  }, 60_000)
})
