// Console-only hazard endpoints (docs/hazards.md): the board, stats, metrics, extension approvals,
// cross-department work orders, and the tenant's hazard settings and owners. The hazard itself, its
// events and the loop's actions are in ./hazards (shared with the phone).
import { api } from './index'
import type { Page } from './types'
import type { ExtensionStatus, Grade, Hazard, HazardExtension, HazardSettings, HazardStatus, WorkOrder } from './hazards'

// ---- board and stats ----

export interface BoardCell {
  status: HazardStatus
  grade: Grade
  count: number
}

export interface Board {
  active: number
  overdue: number
  by_status: Partial<Record<HazardStatus, number>>
  by_grade: Partial<Record<Grade, number>>
  cells: BoardCell[]
  /** Up to 20 overdue hazards, the longest overdue first. */
  most_overdue: Hazard[]
  at: string
}

export type StatsGroup = 'department' | 'grade' | 'status' | 'category'

export interface StatsRow {
  department?: string | null
  department_id?: string | null
  grade?: Grade | null
  status?: HazardStatus | null
  category?: string | null
  count: number
}

export interface StatsQuery {
  group_by: StatsGroup[]
  status?: string
  grade?: Grade
  overdue?: boolean
  from?: string
  to?: string
}

export const getBoard = () => api.get<Board>('/hazards/board')
export const getStats = (q: StatsQuery) => api.get<StatsRow[]>('/hazards/stats', { ...q, group_by: q.group_by.join(',') })

// ---- metrics ----

export interface Ratio {
  numerator: number
  denominator: number
  /** null when the denominator is 0. */
  pct: number | null
}

export interface ClosureRate extends Ratio {
  grade: Grade
  target_pct: number
  meets_target: boolean | null
}

export interface PenetrationRow {
  position_id?: string | null
  department_id?: string | null
  name: string | null
  escalations_received: number
  escalations_caused: number
  work_orders: number
  work_orders_open: number
  avg_response_hours: number | null
  repeat_rate: Ratio
}

export interface Metrics {
  from: string
  to: string
  as_of: string
  reported: number
  closed: number
  escalations: number
  rectification_hours: { count: number; average: number | null; median: number | null }
  overdue_rate: Ratio
  on_time_rate: Ratio
  closure_rate: ClosureRate[]
  repeat_rate: Ratio
  repeat_window_days: number
  penetration: { by_position: PenetrationRow[]; by_department: PenetrationRow[] }
}

export const getMetrics = (from?: string, to?: string) => api.get<Metrics>('/hazards/metrics', { from, to })

// ---- extensions ----

export const listExtensions = (query: { status?: ExtensionStatus; mine?: boolean; limit?: number } = {}) =>
  api.get<Page<HazardExtension>>('/hazards/extensions', query)
export const decideExtension = (hazardId: string, extensionId: string, decision: 'approve' | 'refuse', comment?: string) =>
  api.post<HazardExtension>(`/hazards/${hazardId}/extensions/${extensionId}/decide`, comment ? { decision, comment } : { decision })

// ---- work orders ----

export interface WorkOrderQuery {
  status?: 'open' | 'closed' | ''
  hazard_id?: string
  mine?: boolean
  limit?: number
  cursor?: string | null
}

export const listWorkOrders = (query: WorkOrderQuery = {}) =>
  api.get<Page<WorkOrder>>('/work-orders', { ...query, cursor: query.cursor ?? undefined })
export const getWorkOrder = (id: string) => api.get<WorkOrder>(`/work-orders/${id}`)
export const closeWorkOrder = (id: string, resolution: string) => api.post<WorkOrder>(`/work-orders/${id}/close`, { resolution })

// ---- settings and owners ----

export interface HazardOwner {
  kind: 'asset' | 'area'
  key: string
  user_id: string
}

export const getHazardSettings = () => api.get<HazardSettings>('/hazards/settings')
export const putHazardSettings = (body: Partial<HazardSettings>) => api.put<HazardSettings>('/hazards/settings', body)
export const getHazardOwners = () => api.get<{ owners: HazardOwner[] }>('/hazards/owners')
export const putHazardOwners = (owners: HazardOwner[]) => api.put<{ owners: HazardOwner[] }>('/hazards/owners', { owners })
