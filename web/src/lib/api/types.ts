// Shapes of the SafeLoop HTTP API (/api/v1) used by both front-ends. Field names are the server's (snake_case).

export type RoleKey = 'admin' | 'safety_officer' | 'dept_head' | 'team_leader' | 'worker' | 'vp' | 'auditor' | (string & {})

/** Permission strings such as `org.read`, `users.write`; modules add their own. */
export type Permission = string

export interface UserSummary {
  id: string
  login: string
  name: string
  roles: RoleKey[]
}

export interface LoginResponse {
  token: string
  expires_at?: string
  user: UserSummary
}

export interface Tenant {
  id: string
  name: string
  code?: string
  logo_file_id?: string | null
}

export interface StoredFile {
  /** sha256 hex of the content */
  id: string
  size: number
  content_type: string
}

export interface Me {
  id: string
  login: string
  name: string
  mobile?: string | null
  supervisor_id?: string | null
  roles: RoleKey[]
  permissions: Permission[]
  team_id?: string | null
  department_id?: string | null
  site_id?: string | null
  tenant?: Tenant | null
}

export interface Page<T> {
  items: T[]
  next_cursor?: string | null
}

export interface Site {
  id: string
  name: string
}

export interface Department {
  id: string
  name: string
  parent_id: string | null
  site_id?: string | null
  head_user_id?: string | null
  /** Siblings are shown in this order (then by name). */
  sort_order?: number | null
}

export interface Team {
  id: string
  name: string
  department_id: string
  leader_user_id?: string | null
}

export interface Position {
  id: string
  name: string
  roles: RoleKey[]
}

export interface User {
  id: string
  login: string
  name: string
  mobile?: string | null
  employee_no?: string | null
  department_id?: string | null
  team_id?: string | null
  position_id?: string | null
  supervisor_id?: string | null
  /** Roles given to the user directly. */
  roles: RoleKey[]
  /** Direct roles plus those of the user's position: what the user can actually do. */
  effective_roles?: RoleKey[]
  disabled?: boolean
  /** False for people imported without a password: they cannot sign in until it is reset. */
  has_password?: boolean
}

export interface UserInput {
  login?: string
  name?: string
  mobile?: string | null
  employee_no?: string | null
  department_id?: string | null
  team_id?: string | null
  position_id?: string | null
  supervisor_id?: string | null
  roles?: RoleKey[]
  password?: string
}

export interface Role {
  key: RoleKey
  name_zh: string
  name_en: string
  permissions: Permission[]
}

/** One row of an organisation import, as sent to `POST /org/import`. */
export interface ImportRow {
  employee_no: string
  name: string
  login: string
  mobile: string
  department: string
  team: string
  position: string
  supervisor_employee_no: string
  roles: string
  /** Optional initial password; without one the new user cannot sign in until an admin resets it. */
  password?: string
}

export interface ImportResult {
  ok: boolean
  dry_run?: boolean
  /** Employee numbers of new users created without a password. */
  users_without_password?: string[]
  message?: string
  created: { users: number; departments: number; teams: number; positions: number }
  updated: { users: number }
}

export interface ImportRowError {
  /** 1-based data row (the header line is not counted). */
  row: number
  field?: string
  code: string
  message: string
}
