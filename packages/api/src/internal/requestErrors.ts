/**
 * The errors of a request that got no usable answer or was not sent.
 *
 * @internal
 */
import { SafeText } from "@effect-apify/domain"
import * as Schema from "effect/Schema"
import { attemptsText, Base } from "./errorBase.js"

/**
 * Why a request got no answer: the connection failed or dropped (`Transport`), the attempt
 * timed out (`Timeout`), the base URL cannot be sent to (`InvalidUrl`), or what came back is
 * not an HTTP answer the transport can read, the same way every time, e.g. headers over its
 * 16 KiB limit (`InvalidAnswer`). `InvalidUrl` and `InvalidAnswer` are not retried.
 *
 * @since 0.1.0
 */
export const TransportReason = Schema.Literal("Transport", "Timeout", "InvalidUrl", "InvalidAnswer")

/**
 * The request got no HTTP answer: the connection failed or dropped, or the attempt timed out.
 *
 * @since 0.1.0
 */
export class TransportError extends Base<TransportError>()("TransportError", {
  reason: TransportReason,
  /** What went wrong, from the HTTP stack (never holds the token). */
  detail: Schema.String,
  method: Schema.String,
  path: Schema.String,
  attempts: Schema.Number,
  /**
   * `true` when the request is known not to have reached the API: the connection to its own
   * URL was refused or timed out, or its host not found (not a connection to where a redirect
   * led). Sending it again cannot repeat what it does.
   */
  unsent: Schema.optional(Schema.Boolean)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const what = this.reason === "Timeout"
      ? "timed out"
      : this.reason === "InvalidAnswer"
      ? "got an answer it cannot read"
      : "failed without an answer"
    return SafeText.escape(
      `Request to the Apify API ${what}: ${this.detail} (${this.method} ${this.path}; ${attemptsText(this.attempts)})`
    )
  }
}

/**
 * A successful answer whose body could not be read or did not match the expected shape.
 *
 * @since 0.1.0
 */
export class DecodeError extends Base<DecodeError>()("DecodeError", {
  status: Schema.Number,
  /** What did not match, one `field.path: problem` per `; `. */
  detail: Schema.String,
  method: Schema.String,
  path: Schema.String,
  attempts: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return SafeText.escape(
      `Could not read the Apify API's answer: ${this.detail} (${this.status}; ${this.method} ${this.path}; ${
        attemptsText(this.attempts)
      })`
    )
  }
}

/**
 * The request was refused before sending: its body does not follow the API's rules. `detail`
 * names the field.
 *
 * @since 0.1.0
 */
export class InvalidRequest extends Base<InvalidRequest>()("InvalidRequest", {
  /** What is wrong, one `field.path: problem` per `; `. */
  detail: Schema.String,
  method: Schema.String,
  path: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return SafeText.escape(`Invalid request, not sent: ${this.detail} (${this.method} ${this.path})`)
  }
}
