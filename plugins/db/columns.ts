// Column types shared by every table's typed view.
import type { ColumnType } from 'kysely'

/** timestamptz with a database default: optional on insert. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
