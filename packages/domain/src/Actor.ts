/**
 * An Actor as the API returns it, and the body that creates one.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as ActorName from "./ActorName.js"
import * as PricingInfo from "./PricingInfo.js"
import * as RequestBody from "./RequestBody.js"
import * as Version from "./Version.js"
import * as VersionRequest from "./VersionRequest.js"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, exact: true })

/**
 * The permission level an Actor runs with.
 *
 * @since 0.1.0
 */
export const PermissionLevel = Schema.Literal("LIMITED_PERMISSIONS", "FULL_PERMISSIONS")

/**
 * Usage statistics of an Actor. Every field is optional.
 *
 * @since 0.1.0
 */
export class ActorStats extends Schema.Class<ActorStats>("ActorStats")({
  totalBuilds: nullable(Schema.Number),
  totalRuns: nullable(Schema.Number),
  totalUsers: nullable(Schema.Number),
  totalUsers7Days: nullable(Schema.Number),
  totalUsers30Days: nullable(Schema.Number),
  totalUsers90Days: nullable(Schema.Number),
  totalMetamorphs: nullable(Schema.Number),
  lastRunStartedAt: nullable(Schema.String),
  actorReviewCount: nullable(Schema.Number),
  actorReviewRating: nullable(Schema.Number),
  bookmarkCount: nullable(Schema.Number),
  publicActorRunStats30Days: nullable(Schema.Record({ key: Schema.String, value: Schema.Number }))
}) {}

/**
 * The settings a run gets unless it overrides them.
 *
 * @since 0.1.0
 */
export class DefaultRunOptions extends Schema.Class<DefaultRunOptions>("DefaultRunOptions")({
  build: nullable(Schema.String),
  timeoutSecs: nullable(Schema.Number),
  memoryMbytes: nullable(Schema.Number),
  restartOnError: nullable(Schema.Boolean),
  maxItems: nullable(Schema.Number),
  forcePermissionLevel: nullable(PermissionLevel)
}) {}

/**
 * Standby mode settings.
 *
 * @since 0.1.0
 */
export class ActorStandby extends Schema.Class<ActorStandby>("ActorStandby")({
  isEnabled: nullable(Schema.Boolean),
  desiredRequestsPerActorRun: nullable(Schema.Number),
  maxRequestsPerActorRun: nullable(Schema.Number),
  idleTimeoutSecs: nullable(Schema.Number),
  build: nullable(Schema.String),
  memoryMbytes: nullable(Schema.Number),
  disableStandbyFieldsOverride: nullable(Schema.Boolean),
  shouldPassActorInput: nullable(Schema.Boolean)
}) {}

/**
 * A sample input for the Actor.
 *
 * @since 0.1.0
 */
export class ExampleRunInput extends Schema.Class<ExampleRunInput>("ExampleRunInput")({
  body: nullable(Schema.String),
  contentType: nullable(Schema.String)
}) {}

/**
 * The build a tag (such as `latest`) points at.
 *
 * @since 0.1.0
 */
export class TaggedBuildInfo extends Schema.Class<TaggedBuildInfo>("TaggedBuildInfo")({
  buildId: nullable(Schema.String),
  buildNumber: nullable(Schema.String),
  buildNumberInt: nullable(Schema.Number),
  finishedAt: nullable(Schema.String)
}) {}

/**
 * An Actor. Answers decode leniently: unknown fields are ignored and `null` reads as absent.
 *
 * @since 0.1.0
 */
export class Actor extends Schema.Class<Actor>("Actor")({
  id: Schema.String,
  userId: Schema.String,
  name: Schema.String,
  username: Schema.String,
  description: nullable(Schema.String),
  isPublic: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
  actorPermissionLevel: nullable(PermissionLevel),
  createdAt: Schema.String,
  modifiedAt: Schema.String,
  stats: nullable(ActorStats),
  versions: Schema.optionalWith(Schema.Array(Version.Version), { nullable: true, default: () => [] }),
  pricingInfos: nullable(Schema.Array(PricingInfo.PricingInfo)),
  defaultRunOptions: nullable(DefaultRunOptions),
  exampleRunInput: nullable(ExampleRunInput),
  isDeprecated: nullable(Schema.Boolean),
  deploymentKey: nullable(Schema.String),
  title: nullable(Schema.String),
  taggedBuilds: nullable(Schema.Record({ key: Schema.String, value: Schema.NullOr(TaggedBuildInfo) })),
  actorStandby: nullable(ActorStandby),
  readmeSummary: nullable(Schema.String),
  seoTitle: nullable(Schema.String),
  seoDescription: nullable(Schema.String),
  pictureUrl: nullable(Schema.String),
  standbyUrl: nullable(Schema.String),
  notice: nullable(Schema.String),
  categories: nullable(Schema.Array(Schema.String)),
  isCritical: nullable(Schema.Boolean),
  isGeneric: nullable(Schema.Boolean),
  isSourceCodeHidden: nullable(Schema.Boolean),
  hasNoDataset: nullable(Schema.Boolean)
}) {
  /**
   * The `username~name` form that addresses this Actor in paths.
   *
   * @since 0.1.0
   */
  get fullName(): string {
    return `${this.username}~${this.name}`
  }
}

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * The body of "create Actor": a name, and optionally its versions and settings.
 *
 * @example
 * ```ts
 * import { Actor, ActorName } from "@effect-apify/domain"
 *
 * const body: Actor.CreateActor = { name: ActorName.ActorName.make("my-actor"), title: "My Actor" }
 * ```
 *
 * @since 0.1.0
 */
export const CreateActor = Schema.Struct({
  name: ActorName.ActorName,
  description: optional(Schema.String),
  title: optional(Schema.String),
  isPublic: optional(Schema.Boolean),
  seoTitle: optional(Schema.String),
  seoDescription: optional(Schema.String),
  isDeprecated: optional(Schema.Boolean),
  versions: optional(Schema.Array(VersionRequest.CreateVersion)),
  defaultRunOptions: optional(Schema.encodedSchema(DefaultRunOptions)),
  actorStandby: optional(Schema.encodedSchema(ActorStandby)),
  exampleRunInput: optional(Schema.encodedSchema(ExampleRunInput)),
  categories: optional(Schema.Array(Schema.String)),
  pricingInfos: optional(Schema.Array(PricingInfo.PricingInfoRequest))
}).pipe(
  Schema.filter((body) => RequestBody.problem(body) ?? duplicateVersion(body)),
  Schema.annotations({ identifier: "CreateActor" })
)

const duplicateVersion = (body: { readonly versions?: ReadonlyArray<{ readonly versionNumber: string }> }) => {
  const seen = new Set<string>()
  for (const version of body.versions ?? []) {
    if (seen.has(version.versionNumber)) {
      return { path: ["versions"], message: `versions lists version ${version.versionNumber} more than once` }
    }
    seen.add(version.versionNumber)
  }
  return undefined
}

/**
 * The decoded type of `CreateActor`.
 *
 * @since 0.1.0
 */
export type CreateActor = typeof CreateActor.Type
