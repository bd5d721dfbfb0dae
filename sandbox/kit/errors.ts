/**
 * An answer in the platform's own error shape. A platform subclasses it (or builds it through its
 * `errors` hooks) and the kit's gateway turns it into the platform's envelope, status and headers.
 */
export class PlatformApiError extends Error {
  constructor(
    readonly status: number,
    /** The platform's error code, recorded in the call log. */
    readonly code: string,
    message: string,
    /** Extra top-level fields of the answer, e.g. a batch's failure list. */
    readonly extra?: Record<string, unknown>
  ) {
    super(message)
  }
}

/** A control-API failure: bad input (400), unknown thing (404) or an illegal move (409). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}
