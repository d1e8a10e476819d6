// Grafana's legacy GET /api/search rules: its query string → the dashboard store's filter. There
// are no folders or stars yet, so asking for those finds nothing.
import type { SearchQuery } from '../../schemas/dashboards.js'
import { ERR_SEARCH_IDS_AND_UIDS, ERR_SEARCH_LIMIT } from '../errors/codes.js'
import type { SearchFilter } from './store.js'

const numbers = (list: string[] = []) => list.filter(s => /^\d{1,10}$/.test(s)).map(Number)

/** The filter for `q` in `orgId`, or undefined when nothing can match (no need to ask the database). */
export function searchFilter (q: SearchQuery, orgId: number, canEdit: boolean): SearchFilter | undefined {
  if ((q.limit ?? 0) > 5000) throw new ERR_SEARCH_LIMIT()
  const ids = numbers(q.dashboardIds)
  const uids = q.dashboardUIDs ?? q.dashboardUID ?? []
  if (ids.length > 0 && uids.length > 0) throw new ERR_SEARCH_IDS_AND_UIDS()
  // The General folder is folder id 0 or the uid "general"; no folder has a numeric id of its own.
  const folderUids = (q.folderUIDs ?? []).map(uid => uid === 'general' ? '' : uid)
  const folderIds = numbers(q.folderIds)
  if (folderIds.includes(0)) folderUids.push('')
  else if (folderIds.length > 0 && folderUids.length === 0) return undefined
  if (q.type === 'dash-folder' || q.starred === 'true') return undefined
  if (q.permission === 'Edit' && !canEdit) return undefined
  return {
    orgId,
    query: q.query ?? '',
    tags: [...new Set(q.tag ?? [])],
    ids,
    uids,
    folderUids,
    limit: q.limit !== undefined && q.limit >= 1 ? q.limit : 1000,
    page: q.page !== undefined && q.page >= 1 ? q.page : 1,
    descending: q.sort === 'alpha-desc'
  }
}
