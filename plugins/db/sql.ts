// SQL details every store shares: the LIKE pattern of a search box, PostgreSQL's unique-violation error.

/** `%text%`, lower-cased, with LIKE's own characters (\ % _) escaped: searching "50%" finds "50%", not every row. */
export function containsPattern (text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, m => '\\' + m)}%`
}

/**
 * Whether `err` is a unique violation (SQLSTATE 23505), optionally of the named constraint. pg names
 * the constraint in its own field; PGlite may only name it in the message.
 */
export function isUniqueViolation (err: unknown, constraint?: string): boolean {
  const e = err as { code?: string, constraint?: string, message?: string } | null
  if (e?.code !== '23505') return false
  return constraint === undefined || `${e.constraint ?? ''} ${e.message ?? ''}`.includes(constraint)
}
