// The tenant's own settings (name, logo) and file uploads.
import { api } from './index'
import type { StoredFile, Tenant } from './types'

export const getTenant = () => api.get<Tenant>('/tenant')
export const updateTenant = (body: { name?: string; logo_file_id?: string | null }) => api.patch<Tenant>('/tenant', body)

/** Stores a file by content (raw body, its own Content-Type); answers its sha256 id. */
export const uploadFile = (file: Blob) => api.post<StoredFile>('/files', undefined, { rawBody: file, timeoutMs: 120_000 })
