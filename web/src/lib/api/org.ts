// Organisation endpoints (sites, departments, teams, positions, users, import).
import { api } from './index'
import type { Department, ImportResult, ImportRow, Page, Position, Site, Team, User, UserInput } from './types'

/** Some list endpoints answer a bare array, others `{items}`: accept both. */
function items<T>(answer: T[] | Page<T>): T[] {
  return Array.isArray(answer) ? answer : answer.items
}

export const listSites = async () => items(await api.get<Site[] | Page<Site>>('/sites'))
export const createSite = (body: { name: string }) => api.post<Site>('/sites', body)

export const listDepartments = async () =>
  items(await api.get<Department[] | Page<Department>>('/departments', { limit: 1000 }))
export const createDepartment = (body: { name: string; parent_id: string | null; site_id?: string | null }) =>
  api.post<Department>('/departments', body)
export const updateDepartment = (id: string, body: Partial<Pick<Department, 'name' | 'parent_id' | 'site_id' | 'head_user_id'>>) =>
  api.patch<Department>(`/departments/${id}`, body)
export const deleteDepartment = (id: string) => api.delete(`/departments/${id}`)

export const listTeams = async (departmentId?: string) =>
  items(await api.get<Team[] | Page<Team>>('/teams', { department_id: departmentId, limit: 1000 }))
export const createTeam = (body: { name: string; department_id: string; leader_user_id?: string | null }) =>
  api.post<Team>('/teams', body)
export const updateTeam = (id: string, body: Partial<Omit<Team, 'id'>>) => api.patch<Team>(`/teams/${id}`, body)
export const deleteTeam = (id: string) => api.delete(`/teams/${id}`)

export const listPositions = async () => items(await api.get<Position[] | Page<Position>>('/positions', { limit: 1000 }))
export const createPosition = (body: { name: string; roles: string[] }) => api.post<Position>('/positions', body)
export const updatePosition = (id: string, body: { name?: string; roles?: string[] }) => api.patch<Position>(`/positions/${id}`, body)
export const deletePosition = (id: string) => api.delete(`/positions/${id}`)

export interface UserQuery {
  q?: string
  department_id?: string
  login?: string
  limit?: number
  cursor?: string | null
}
export const listUsers = (query: UserQuery = {}) =>
  api.get<Page<User>>('/users', { ...query, cursor: query.cursor ?? undefined })
export const getUser = (id: string) => api.get<User>(`/users/${id}`)
export const createUser = (body: UserInput) => api.post<User>('/users', body)
export const updateUser = (id: string, body: UserInput) => api.patch<User>(`/users/${id}`, body)
export const disableUser = (id: string) => api.post<User | void>(`/users/${id}/disable`)
export const enableUser = (id: string) => api.post<User | void>(`/users/${id}/enable`)
export const resetPassword = (id: string, password: string) => api.post<void>(`/users/${id}/reset-password`, { password })

export const importOrg = (rows: ImportRow[], dryRun: boolean) =>
  api.post<ImportResult>('/org/import', { dry_run: dryRun, rows }, { timeoutMs: 120_000 })
