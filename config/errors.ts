// A user's configuration mistake: reported as one line, never a stack trace.
export class ConfigError extends Error {
  override name = 'ConfigError'
}
