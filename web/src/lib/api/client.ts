// One typed HTTP client for /api/v1: bearer token, Accept-Language, timeouts, the server's error model,
// and one event when the session is gone (so each app can send the user back to its login page).
import { ApiError, CLIENT_CODES, toErrorBody } from './errors'
import { isExpired, type TokenStore } from '../auth/token'

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  body?: unknown
  /** Sent as is with its own Content-Type (file uploads), instead of a JSON `body`. */
  rawBody?: Blob
  headers?: Record<string, string>
  /** Send the bearer token (default). Login sets this to false. */
  auth?: boolean
  timeoutMs?: number
  signal?: AbortSignal
  /** Return the body as a Blob instead of parsing JSON (files). */
  as?: 'json' | 'blob'
}

export interface PreparedRequest {
  url: string
  init: RequestInit & { headers: Record<string, string> }
  options: RequestOptions
}

export type RequestInterceptor = (req: PreparedRequest) => void | Promise<void>
export type ErrorInterceptor = (error: ApiError, req: PreparedRequest) => void

export type UnauthenticatedReason = 'expired' | 'missing' | 'rejected'
export type UnauthenticatedListener = (reason: UnauthenticatedReason) => void

export interface ApiClientOptions {
  tokens: TokenStore
  baseUrl?: string
  fetch?: typeof fetch
  now?: () => number
  locale?: () => string
  timeoutMs?: number
}

export const DEFAULT_TIMEOUT_MS = 20_000

export class ApiClient {
  readonly interceptors: { request: RequestInterceptor[]; error: ErrorInterceptor[] } = { request: [], error: [] }
  private readonly listeners = new Set<UnauthenticatedListener>()
  private readonly opts: Required<Omit<ApiClientOptions, 'locale'>> & Pick<ApiClientOptions, 'locale'>

  constructor(options: ApiClientOptions) {
    this.opts = {
      baseUrl: '/api/v1',
      fetch: (...args) => globalThis.fetch(...args),
      now: () => Date.now(),
      timeoutMs: DEFAULT_TIMEOUT_MS,
      ...options,
    }
  }

  get tokens(): TokenStore {
    return this.opts.tokens
  }

  /** Subscribe to "the session is gone"; returns the unsubscribe function. */
  onUnauthenticated(listener: UnauthenticatedListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get<T>(path: string, query?: Query, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'GET', ...(query ? { query } : {}) })
  }
  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'POST', body })
  }
  put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PUT', body })
  }
  patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PATCH', body })
  }
  delete<T = void>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'DELETE' })
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
    if (options.rawBody) headers['Content-Type'] = options.rawBody.type || 'application/octet-stream'
    else if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    const locale = this.opts.locale?.()
    if (locale) headers['Accept-Language'] = locale

    if (auth) {
      const token = this.opts.tokens.get()
      if (!token || isExpired(token, this.opts.now())) {
        const reason: UnauthenticatedReason = token ? 'expired' : 'missing'
        this.endSession(reason)
        throw new ApiError(401, { code: CLIENT_CODES.unauthenticated, message: reason })
      }
      headers.Authorization = `Bearer ${token.token}`
    }

    const req: PreparedRequest = {
      url: this.opts.baseUrl + path + queryString(options.query),
      init: {
        method: options.method ?? 'GET',
        headers,
        ...(options.rawBody ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      },
      options,
    }
    for (const interceptor of this.interceptors.request) await interceptor(req)

    try {
      return await this.send<T>(req)
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, { code: CLIENT_CODES.network, message: String(e) })
      if (auth && error.status === 401) this.endSession('rejected')
      for (const interceptor of this.interceptors.error) interceptor(error, req)
      throw error
    }
  }

  private async send<T>(req: PreparedRequest): Promise<T> {
    const controller = new AbortController()
    const timeoutMs = req.options.timeoutMs ?? this.opts.timeoutMs
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const outer = req.options.signal
    const onOuterAbort = () => controller.abort()
    outer?.addEventListener('abort', onOuterAbort)

    let response: Response
    try {
      response = await this.opts.fetch(req.url, { ...req.init, signal: controller.signal })
    } catch (e) {
      if (timedOut) throw new ApiError(0, { code: CLIENT_CODES.timeout, message: `no answer within ${timeoutMs} ms` })
      if (outer?.aborted) throw e
      throw new ApiError(0, { code: CLIENT_CODES.network, message: e instanceof Error ? e.message : String(e) })
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
    }

    if (!response.ok) {
      const payload = await readJson(response)
      throw new ApiError(response.status, toErrorBody(response.status, payload, response.statusText))
    }
    if (req.options.as === 'blob') return (await response.blob()) as T
    if (response.status === 204) return undefined as T
    const text = await response.text()
    if (!text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(response.status, { code: CLIENT_CODES.badResponse, message: 'response is not JSON' })
    }
  }

  private endSession(reason: UnauthenticatedReason) {
    this.opts.tokens.clear()
    for (const listener of this.listeners) listener(reason)
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text())
  } catch {
    return null
  }
}

export function queryString(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}
