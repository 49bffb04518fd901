import { api } from './index'
import type { LoginResponse, Me, Role } from './types'

export function login(loginName: string, password: string): Promise<LoginResponse> {
  return api.post<LoginResponse>('/auth/login', { login: loginName, password }, { auth: false })
}

export function logout(): Promise<void> {
  return api.post<void>('/auth/logout')
}

export function getMe(): Promise<Me> {
  return api.get<Me>('/me')
}

export function listRoles(): Promise<Role[]> {
  return api.get<Role[]>('/roles')
}

/** A stored file (e.g. the tenant logo) as a Blob; needs the bearer token, so no plain <img src>. */
export function getFile(sha256: string): Promise<Blob> {
  return api.get<Blob>(`/files/${encodeURIComponent(sha256)}`, undefined, { as: 'blob' })
}
