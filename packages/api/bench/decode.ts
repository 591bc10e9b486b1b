/**
 * Decoding aid: the CPU time of turning an answer's text into the domain's values, for one
 * version and a list of 50, through Schema's decoder alone, through the client's endpoint
 * decoder (fast path, raw data kept) and through the whole of what the client does with a
 * success answer's text (`answer`: parse, depth guard, endpoint decoder), with `JSON.parse`
 * alone as the floor.
 *
 * Run from the repository root: `npx tsx --conditions=@effect-apify/source packages/api/bench/decode.ts`.
 */
import { Contract, Envelope } from "@effect-apify/domain"
import * as Schema from "effect/Schema"
import * as Answer from "../src/internal/answer.js"
import * as Endpoint from "../src/internal/endpoint.js"

const version = (i: number) => ({
  versionNumber: `0.${i}`,
  sourceType: "GIT_REPO",
  gitRepoUrl: "https://github.com/apify/actor-scraper#master:web-scraper",
  buildTag: "latest",
  applyEnvVarsToBuild: false,
  envVars: [
    { name: "LOG_LEVEL", value: "info", isSecret: false },
    { name: "START_URL", value: "https://example.com/some/path?with=query", isSecret: false },
    { name: "API_KEY", isSecret: true }
  ]
})
const one = JSON.stringify({ data: version(1) })
const list = JSON.stringify({ data: { total: 50, items: Array.from({ length: 50 }, (_, i) => version(i)) } })
const parsedList: unknown = JSON.parse(list)

const time = (name: string, n: number, f: () => unknown) => {
  for (let i = 0; i < n / 10; i++) f()
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) f()
  const used = process.cpuUsage(start)
  console.log(`${name.padEnd(34)}${((used.user + used.system) / n).toFixed(1).padStart(8)} µs CPU`)
}

const schemaOne = Schema.decodeUnknownEither(Envelope.Data(Contract.getVersion.answer))
const schemaList = Schema.decodeUnknownEither(Envelope.Data(Contract.listVersions.answer))
const endpointOne = Endpoint.make(Contract.getVersion).decode!
const endpointList = Endpoint.make(Contract.listVersions).decode!
const request = { method: "GET", path: "/v2/acts/a/versions", attempts: 1, scrub: (text: string) => text }
const answer = (text: string, decode: typeof endpointOne | typeof endpointList) => () =>
  Answer.decode<unknown>(text, decode, 200, 1 << 24, request)

time("one version: JSON.parse", 20000, () => JSON.parse(one))
time("one version: Schema", 20000, () => schemaOne(JSON.parse(one)))
time("one version: endpoint", 20000, () => endpointOne(JSON.parse(one)))
time("one version: answer", 20000, answer(one, endpointOne))
time("list of 50: JSON.parse", 2000, () => JSON.parse(list))
time("list of 50: Schema", 2000, () => schemaList(JSON.parse(list)))
time("list of 50: endpoint", 2000, () => endpointList(JSON.parse(list)))
time("list of 50: depth walk (tooDeep)", 2000, () => Answer.tooDeep(parsedList))
time("list of 50: answer", 2000, answer(list, endpointList))
