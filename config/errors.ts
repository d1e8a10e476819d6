// A user's configuration mistake: reported as one line per mistake, never a stack trace.
export class ConfigError extends Error {
  override name = 'ConfigError'
  /** Every mistake found, one line each (the message joins them). */
  readonly errors: string[]

  constructor (message: string | string[]) {
    const errors = Array.isArray(message) ? message : [message]
    super(errors.join('\n'))
    this.errors = errors
  }
}
