// Checks a login/email and password with brute-force protection: used by basic auth and POST /login.
import type { Accounts } from '../accounts/service.js'
import type { UserRow } from '../db/tables.js'
import { ERR_INVALID_CREDENTIALS, ERR_LOGIN_BLOCKED } from '../errors/codes.js'
import type { LoginAttempts } from './brute-force.js'

export class PasswordLogin {
  constructor (private readonly accounts: Accounts, private readonly attempts: LoginAttempts) {}

  async login (username: string, password: string, ip: string): Promise<UserRow> {
    if (username === '' || password === '') throw new ERR_INVALID_CREDENTIALS()
    if (await this.attempts.isBlocked(username)) throw new ERR_LOGIN_BLOCKED()
    const user = await this.accounts.checkPassword(username, password)
    if (user === undefined) {
      await this.attempts.recordFailure(username, ip)
      throw new ERR_INVALID_CREDENTIALS()
    }
    // A disabled user gets the generic answer: the password is no oracle for account state.
    if (user.is_disabled) throw new ERR_INVALID_CREDENTIALS()
    await this.attempts.reset(username)
    return user
  }
}
