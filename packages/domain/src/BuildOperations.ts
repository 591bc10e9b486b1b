/**
 * The operations on builds and their logs, declared as `Contract` declares the others (which
 * re-exports them): build a version, get a build (waiting for it to finish), abort it, read its
 * log.
 *
 * @since 0.1.0
 */
import * as Build from "./Build.js"
import * as Operation from "./Operation.js"

/**
 * `POST /v2/acts/:actorId/builds?version&tag&useCache&betaPackages&waitForFinish`: 201
 * `{data: Build}`. Not idempotent: each request starts a build, so it is sent again only when
 * it never reached the API (`Operation.idempotent`).
 *
 * @since 0.1.0
 */
export const buildActor = Operation.make({
  name: "ActorBuilds.build",
  method: "POST",
  path: "/:actorId/builds",
  request: undefined,
  query: Build.CreateQuery,
  answer: Build.Build,
  success: 201,
  errors: [400, 403, 404]
})

const build = "/actor-builds/:buildId"

/**
 * `GET /v2/actor-builds/:buildId?waitForFinish`.
 *
 * @since 0.1.0
 */
export const getBuild = Operation.make({
  name: "ActorBuilds.get",
  method: "GET",
  base: "api",
  path: build,
  request: undefined,
  query: Build.GetQuery,
  answer: Build.Build,
  success: 200,
  errors: [400, 403, 404]
})

/**
 * `POST /v2/actor-builds/:buildId/abort`: the build; one that has ended is returned as it is.
 * Sending it twice does what sending it once does.
 *
 * @since 0.1.0
 */
export const abortBuild = Operation.make({
  name: "ActorBuilds.abort",
  method: "POST",
  base: "api",
  path: `${build}/abort`,
  request: undefined,
  answer: Build.Build,
  success: 200,
  errors: [403, 404],
  idempotent: true
})

/**
 * `GET /v2/logs/:buildId?stream&raw&download`: the log as text; with `stream=1` the answer
 * stays open and grows with the log until the build ends.
 *
 * @since 0.1.0
 */
export const getLog = Operation.make({
  name: "ActorBuilds.log",
  method: "GET",
  base: "api",
  path: "/logs/:buildId",
  request: undefined,
  query: Build.LogQuery,
  answer: undefined,
  answerFormat: "text",
  success: 200,
  errors: [400, 404]
})

/**
 * `GET /v2/actor-builds/:buildId/log`, the same as `getLog` (Apify's CLI reads this one).
 *
 * @since 0.1.0
 */
export const getBuildLog = Operation.make({
  name: "ActorBuilds.log",
  method: "GET",
  base: "api",
  path: `${build}/log`,
  request: undefined,
  query: Build.LogQuery,
  answer: undefined,
  answerFormat: "text",
  success: 200,
  errors: [400, 404],
  aliasOf: "getLog"
})
