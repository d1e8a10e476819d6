// Start-up warnings a security-minded operator expects: settings that work but should not ship.
import type { Config } from './settings.js'

/** The secret_key conf/defaults.ini ships with: every copy of Gatehouse knows it. */
export const SHIPPED_SECRET_KEY = 'SW2YcwTIb9zpOOhoPsMm'

export function securityWarnings (config: Config): string[] {
  const warnings: string[] = []
  if (config.security.secretKeys.current === SHIPPED_SECRET_KEY) {
    warnings.push('[security] secret_key is the shipped default: anyone can forge what it protects; ' +
      'set your own (GF_SECURITY_SECRET_KEY) before going to production')
  }
  if (config.authProxy.enabled && config.authProxy.whitelist.entries.length === 0) {
    warnings.push('[auth.proxy] is enabled with an empty whitelist: any client that reaches Gatehouse can send the user header and sign in as anyone; ' +
      'list your proxy\'s address in [auth.proxy] whitelist')
  }
  return warnings
}
