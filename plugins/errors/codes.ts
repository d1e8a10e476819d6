// Every error Gatehouse answers with, defined once: code, Grafana's message, status.
import createError from '@fastify/error'

export const ERR_UNAUTHORIZED = createError('GH_ERR_UNAUTHORIZED', 'Unauthorized', 401)
export const ERR_INVALID_CREDENTIALS = createError('GH_ERR_INVALID_CREDENTIALS', 'Invalid username or password', 401)
export const ERR_LOGIN_BLOCKED = createError(
  'GH_ERR_LOGIN_BLOCKED', 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked', 429
)
export const ERR_LOGIN_DISABLED = createError('GH_ERR_LOGIN_DISABLED', 'Login is disabled', 401)
export const ERR_USER_DISABLED = createError('GH_ERR_USER_DISABLED', 'User is disabled', 401)
export const ERR_PERMISSION_DENIED = createError('GH_ERR_PERMISSION_DENIED', 'Permission denied', 403)
export const ERR_NOT_ORG_MEMBER = createError('GH_ERR_NOT_ORG_MEMBER', 'You are not a member of organization %s', 403)
export const ERR_ORIGIN_NOT_ALLOWED = createError('GH_ERR_ORIGIN_NOT_ALLOWED', 'origin not allowed', 403)
/** Live's websocket refusal: the message the Grafana error guide (seed 000) shows for Live, distinct from CSRF's. */
export const ERR_LIVE_ORIGIN_NOT_ALLOWED = createError('GH_ERR_LIVE_ORIGIN_NOT_ALLOWED', 'Origin not allowed', 403)
export const ERR_BAD_HOST = createError('GH_ERR_BAD_HOST', 'Invalid Host header', 400)
export const ERR_BAD_REQUEST = createError('GH_ERR_BAD_REQUEST', '%s', 400)
export const ERR_BAD_URL = createError('GH_ERR_BAD_URL', 'Invalid URL: the path has malformed percent-encoding', 400)
export const ERR_URL_TOO_LONG = createError('GH_ERR_URL_TOO_LONG', 'Invalid URL: a path parameter is too long', 414)
export const ERR_BODY_TOO_LARGE = createError('GH_ERR_BODY_TOO_LARGE', 'Request body is too large (limit %s bytes)', 413)

export const ERR_USER_NOT_FOUND = createError('GH_ERR_USER_NOT_FOUND', 'User not found', 404)
export const ERR_USER_EXISTS = createError('GH_ERR_USER_EXISTS', 'User with email \'%s\' or username \'%s\' already exists', 412)
export const ERR_PASSWORD_TOO_SHORT = createError('GH_ERR_PASSWORD_TOO_SHORT', 'New password is too short', 400)
export const ERR_PASSWORD_MISSING = createError('GH_ERR_PASSWORD_MISSING', 'Password is missing or too short', 400)
export const ERR_OLD_PASSWORD = createError('GH_ERR_OLD_PASSWORD', 'Invalid old password', 401)
export const ERR_ORG_NOT_FOUND = createError('GH_ERR_ORG_NOT_FOUND', 'Organization not found', 404)
export const ERR_ORG_NAME_TAKEN = createError('GH_ERR_ORG_NAME_TAKEN', 'Organization name taken', 409)
export const ERR_ORG_CREATE_DENIED = createError('GH_ERR_ORG_CREATE_DENIED', 'Access denied', 403)
export const ERR_NOT_VALID_ORG = createError('GH_ERR_NOT_VALID_ORG', 'Not a valid organization', 401)
export const ERR_ALREADY_MEMBER = createError('GH_ERR_ALREADY_MEMBER', 'User is already member of this organization', 409)
export const ERR_LAST_ORG_ADMIN = createError('GH_ERR_LAST_ORG_ADMIN', 'Cannot remove last organization admin', 400)
export const ERR_LAST_ORG_ADMIN_ROLE = createError('GH_ERR_LAST_ORG_ADMIN_ROLE', 'Cannot change role so that there is no organization admin left', 400)
export const ERR_NOT_MEMBER = createError('GH_ERR_NOT_MEMBER', 'User is not a member of this organization', 404)

export const ERR_PROXY_NOT_ALLOWED = createError('GH_ERR_PROXY_NOT_ALLOWED', 'Request from %s is not from the authentication proxy', 401)
export const ERR_PROXY_BAD_HEADER = createError('GH_ERR_PROXY_BAD_HEADER', '%s', 400)
export const ERR_PROXY_SIGNUP_DISABLED = createError('GH_ERR_PROXY_SIGNUP_DISABLED', 'User "%s" not found and [auth.proxy] auto_sign_up is disabled', 401)
export const ERR_PROXY_USER_CONFLICT = createError('GH_ERR_PROXY_USER_CONFLICT', 'Auth proxy user "%s" conflicts with an existing user or service account', 409)

export const ERR_TEAM_NOT_FOUND = createError('GH_ERR_TEAM_NOT_FOUND', 'Team not found', 404)
export const ERR_TEAM_NAME_TAKEN = createError('GH_ERR_TEAM_NAME_TAKEN', 'Team name taken', 409)
export const ERR_TEAM_MEMBER_EXISTS = createError('GH_ERR_TEAM_MEMBER_EXISTS', 'User is already added to this team', 400)
export const ERR_TEAM_MEMBER_NOT_FOUND = createError('GH_ERR_TEAM_MEMBER_NOT_FOUND', 'Team member not found', 404)
export const ERR_TEAM_GROUP_EXISTS = createError('GH_ERR_TEAM_GROUP_EXISTS', 'Group is already added to this team', 400)
export const ERR_TEAM_GROUP_NOT_FOUND = createError('GH_ERR_TEAM_GROUP_NOT_FOUND', 'Group is not added to this team', 404)

export const ERR_INVALID_API_KEY = createError('GH_ERR_INVALID_API_KEY', 'Invalid API key', 401)
export const ERR_EXPIRED_API_KEY = createError('GH_ERR_EXPIRED_API_KEY', 'Expired API key', 401)
export const ERR_REVOKED_API_KEY = createError('GH_ERR_REVOKED_API_KEY', 'Revoked API key', 401)
export const ERR_API_KEY_ORG_MISMATCH = createError('GH_ERR_API_KEY_ORG_MISMATCH', 'API key does not belong to the requested organization', 401)
export const ERR_SERVICE_ACCOUNT_DISABLED = createError('GH_ERR_SERVICE_ACCOUNT_DISABLED', 'Service account is disabled', 401)
export const ERR_API_KEY_EXISTS = createError('GH_ERR_API_KEY_EXISTS', 'API key, organization ID and name must be unique', 409)
export const ERR_API_KEY_NOT_FOUND = createError('GH_ERR_API_KEY_NOT_FOUND', 'Failed to delete API key', 404)
export const ERR_TTL_REQUIRED = createError('GH_ERR_TTL_REQUIRED', 'Number of seconds before expiration should be set', 400)
export const ERR_TTL_OVER_LIMIT = createError('GH_ERR_TTL_OVER_LIMIT', 'Number of seconds before expiration is greater than the global limit', 400)
export const ERR_TTL_NEGATIVE = createError('GH_ERR_TTL_NEGATIVE', 'negative value for SecondsToLive', 400)
export const ERR_SA_NOT_FOUND = createError('GH_ERR_SA_NOT_FOUND', 'Service account not found', 404)
export const ERR_SA_NAME_TAKEN = createError('GH_ERR_SA_NAME_TAKEN', 'Service account with the same name already exists in this organization', 409)
export const ERR_SA_TOKEN_NOT_FOUND = createError('GH_ERR_SA_TOKEN_NOT_FOUND', 'Service account token not found', 404)
export const ERR_SA_TOKEN_EXISTS = createError('GH_ERR_SA_TOKEN_EXISTS', 'Service account token with the same name already exists in this organization', 409)

/** Grafana's errutil ids, sent as messageId/statusCode beside the message where Grafana sends them. */
export const MESSAGE_IDS: Record<string, string> = {
  GH_ERR_UNAUTHORIZED: 'auth.unauthorized',
  GH_ERR_INVALID_CREDENTIALS: 'password-auth.failed',
  GH_ERR_LOGIN_BLOCKED: 'login-attempt.blocked',
  GH_ERR_USER_DISABLED: 'identity.disabled',
  GH_ERR_INVALID_API_KEY: 'api-key.invalid',
  GH_ERR_EXPIRED_API_KEY: 'api-key.expired',
  GH_ERR_REVOKED_API_KEY: 'api-key.revoked',
  GH_ERR_API_KEY_ORG_MISMATCH: 'api-key.organization-mismatch'
}

// Data sources and the data-source proxy (Grafana's messages).
export const ERR_DS_NOT_FOUND = createError('GH_ERR_DS_NOT_FOUND', 'Data source not found', 404)
export const ERR_DS_ID_INVALID = createError('GH_ERR_DS_ID_INVALID', 'id is invalid', 400)
export const ERR_DS_UID_INVALID = createError('GH_ERR_DS_UID_INVALID', 'UID is invalid', 400)
export const ERR_DS_INVALID_URL = createError('GH_ERR_DS_INVALID_URL', 'Validation error, invalid URL', 400)
export const ERR_DS_RESERVED_HEADER = createError('GH_ERR_DS_RESERVED_HEADER', '%s: custom header %s is reserved for the auth proxy', 400)
export const ERR_DS_NAME_EXISTS = createError('GH_ERR_DS_NAME_EXISTS', '%sdata source with the same name already exists', 409)
export const ERR_DS_UID_EXISTS = createError('GH_ERR_DS_UID_EXISTS', '%sdata source with the same uid already exists', 409)
export const ERR_DS_VERSION_CONFLICT = createError(
  'GH_ERR_DS_VERSION_CONFLICT', 'Datasource has already been updated by someone else. Please reload and try again', 409
)
export const ERR_DS_READ_ONLY = createError('GH_ERR_DS_READ_ONLY', 'Cannot %s read-only data source', 403)
export const ERR_DSP_NOT_FOUND = createError('GH_ERR_DSP_NOT_FOUND', 'Unable to find datasource', 404)
export const ERR_DSP_ROUTE_DENIED = createError('GH_ERR_DSP_ROUTE_DENIED', 'plugin proxy route access denied', 403)
export const ERR_PLUGIN_NOT_FOUND = createError('GH_ERR_PLUGIN_NOT_FOUND', 'Plugin not found', 404)
export const ERR_DSP_NOT_WHITELISTED = createError('GH_ERR_DSP_NOT_WHITELISTED', 'Data proxy hostname and ip are not included in whitelist', 403)
export const ERR_DSP_BAD_PATH = createError('GH_ERR_DSP_BAD_PATH', 'Invalid proxy path: %s', 400)
export const ERR_DSP_BAD_URL = createError('GH_ERR_DSP_BAD_URL', 'Invalid data source URL', 400)

// Dashboards and search (Grafana's DashboardErr reasons and codes).
export const ERR_DASHBOARD_NOT_FOUND = createError('GH_ERR_DASHBOARD_NOT_FOUND', 'Dashboard not found', 404)
export const ERR_DASHBOARD_TO_UPDATE_NOT_FOUND = createError('GH_ERR_DASHBOARD_TO_UPDATE_NOT_FOUND', 'Dashboard not found', 404)
export const ERR_DASHBOARD_TITLE_EMPTY = createError('GH_ERR_DASHBOARD_TITLE_EMPTY', 'Dashboard title cannot be empty', 400)
export const ERR_DASHBOARD_TITLE_TOO_LONG = createError('GH_ERR_DASHBOARD_TITLE_TOO_LONG', 'Dashboard title cannot contain more than 5 000 characters', 400)
export const ERR_DASHBOARD_VERSION_MISMATCH = createError('GH_ERR_DASHBOARD_VERSION_MISMATCH', 'The dashboard has been changed by someone else', 409)
export const ERR_DASHBOARD_NAME_EXISTS = createError('GH_ERR_DASHBOARD_NAME_EXISTS', 'A dashboard with the same name in the folder already exists', 412)
export const ERR_DASHBOARD_UID_EXISTS = createError('GH_ERR_DASHBOARD_UID_EXISTS', 'A dashboard with the same uid already exists', 400)
export const ERR_DASHBOARD_UID_INVALID = createError('GH_ERR_DASHBOARD_UID_INVALID', 'uid contains illegal characters', 400)
export const ERR_DASHBOARD_UID_TOO_LONG = createError('GH_ERR_DASHBOARD_UID_TOO_LONG', 'uid too long, max 40 characters', 400)
export const ERR_DASHBOARD_MESSAGE_TOO_LONG = createError('GH_ERR_DASHBOARD_MESSAGE_TOO_LONG', 'message too long, max 500 characters', 400)
export const ERR_DASHBOARD_IS_FOLDER = createError('GH_ERR_DASHBOARD_IS_FOLDER', 'Use folders endpoint for saving folders.', 400)
export const ERR_SEARCH_LIMIT = createError('GH_ERR_SEARCH_LIMIT', 'Limit is above maximum allowed (5000), use page parameter to access hits beyond limit', 422)
export const ERR_SEARCH_IDS_AND_UIDS = createError('GH_ERR_SEARCH_IDS_AND_UIDS', 'search supports UIDs or IDs, not both', 400)

/** Grafana's `status` beside the message, for the dashboard errors where Grafana sends one (412s and a few 400/404s). */
export const ERROR_STATUSES: Record<string, string> = {
  GH_ERR_DASHBOARD_TO_UPDATE_NOT_FOUND: 'not-found',
  GH_ERR_DASHBOARD_TITLE_EMPTY: 'empty-name',
  GH_ERR_DASHBOARD_TITLE_TOO_LONG: 'title-too-long',
  GH_ERR_DASHBOARD_VERSION_MISMATCH: 'version-mismatch',
  GH_ERR_DASHBOARD_NAME_EXISTS: 'name-exists'
}

// Grafana Live (HTTP publish and push; Grafana's messages).
export const ERR_LIVE_INVALID_CHANNEL = createError('GH_ERR_LIVE_INVALID_CHANNEL', 'invalid channel ID', 400)
export const ERR_LIVE_FORBIDDEN = createError('GH_ERR_LIVE_FORBIDDEN', 'Forbidden', 403)
export const ERR_LIVE_NOT_FOUND = createError('GH_ERR_LIVE_NOT_FOUND', 'Not Found', 404)
export const ERR_LIVE_INFO = createError('GH_ERR_LIVE_INFO', 'Info is not supported for this channel', 404)
export const ERR_LIVE_FRAME_FORMAT = createError('GH_ERR_LIVE_FRAME_FORMAT', 'unsupported gf_live_frame_format "%s" (use labels_column or wide)', 400)

export const ERR_SECRETS_ROTATE = createError('GH_ERR_SECRETS_ROTATE', '%s', 409)
