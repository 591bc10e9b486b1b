/**
 * How an Actor is priced, a union discriminated by `pricingModel`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, exact: true })

const common = {
  apifyMarginPercentage: nullable(Schema.Number),
  createdAt: nullable(Schema.String),
  startedAt: nullable(Schema.String)
}

/**
 * Charges per event the Actor reports.
 *
 * @since 0.1.0
 */
export class PayPerEvent extends Schema.Class<PayPerEvent>("PayPerEvent")({
  ...common,
  pricingModel: Schema.Literal("PAY_PER_EVENT"),
  pricingPerEvent: nullable(Schema.Struct({
    actorChargeEvents: nullable(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  })),
  minimalMaxTotalChargeUsd: nullable(Schema.Number)
}) {}

/**
 * Charges per dataset item the Actor produces.
 *
 * @since 0.1.0
 */
export class PricePerDatasetItem extends Schema.Class<PricePerDatasetItem>("PricePerDatasetItem")({
  ...common,
  pricingModel: Schema.Literal("PRICE_PER_DATASET_ITEM"),
  unitName: nullable(Schema.String),
  pricePerUnitUsd: nullable(Schema.Number)
}) {}

/**
 * A monthly rental with a trial period.
 *
 * @since 0.1.0
 */
export class FlatPricePerMonth extends Schema.Class<FlatPricePerMonth>("FlatPricePerMonth")({
  ...common,
  pricingModel: Schema.Literal("FLAT_PRICE_PER_MONTH"),
  trialMinutes: nullable(Schema.Number),
  pricePerUnitUsd: nullable(Schema.Number)
}) {}

/**
 * Free to use.
 *
 * @since 0.1.0
 */
export class Free extends Schema.Class<Free>("Free")({
  ...common,
  pricingModel: Schema.Literal("FREE")
}) {}

/**
 * A pricing model this library does not know yet; the model's name is kept.
 *
 * @since 0.1.0
 */
export class UnknownPricing extends Schema.Class<UnknownPricing>("UnknownPricing")({
  ...common,
  pricingModel: Schema.String
}) {}

/**
 * Any pricing entry of an Actor.
 *
 * @since 0.1.0
 */
export const PricingInfo = Schema.Union(PayPerEvent, PricePerDatasetItem, FlatPricePerMonth, Free, UnknownPricing)
  .annotations({ identifier: "PricingInfo" })

/**
 * The decoded type of `PricingInfo`.
 *
 * @since 0.1.0
 */
export type PricingInfo = typeof PricingInfo.Type

const known = [PayPerEvent, PricePerDatasetItem, FlatPricePerMonth, Free] as const

const knownModels: ReadonlyArray<string> = known.map((member) => member.fields.pricingModel.literals[0])

/** Keys the answer does not model: sent as given, ignored when read back. */
const extra = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const withExtra = <Fields extends Schema.Struct.Fields>(fields: Fields) => Schema.extend(Schema.Struct(fields), extra)

/**
 * A pricing entry as "create Actor" sends it: the fields of its model, as an answer carries
 * them (so what is sent can be read back), and any other keys. A known `pricingModel` must
 * carry its model's fields in their types; any other model only the common fields.
 *
 * @since 0.1.0
 */
export const PricingInfoRequest = Schema.Union(
  withExtra(PayPerEvent.fields),
  withExtra(PricePerDatasetItem.fields),
  withExtra(FlatPricePerMonth.fields),
  withExtra(Free.fields),
  withExtra({
    ...common,
    pricingModel: Schema.String.pipe(
      Schema.filter((model) =>
        !knownModels.includes(model) || `pricingModel ${model} is known: its fields did not match its model`
      )
    )
  })
).annotations({ identifier: "PricingInfoRequest" })

/**
 * The decoded type of `PricingInfoRequest`.
 *
 * @since 0.1.0
 */
export type PricingInfoRequest = typeof PricingInfoRequest.Type
