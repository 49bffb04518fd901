// The server's error model: every 4xx/5xx answer is {"error":{"code","message","fields"?, ...}}.

export interface ErrorBody {
  code: string
  message: string
  fields?: Record<string, string>
  [extra: string]: unknown
}

/** Codes produced by the client itself, never by the server. */
export const CLIENT_CODES = {
  network: 'network_error',
  timeout: 'timeout',
  badResponse: 'bad_response',
  unauthenticated: 'unauthenticated',
} as const

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>
  /** The whole error object, for endpoint-specific extras such as `rows`, `missing`, `reasons`. */
  readonly body: ErrorBody

  constructor(status: number, body: ErrorBody) {
    super(body.message || body.code)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.fields = body.fields ?? {}
    this.body = body
  }

  /** True for failures where the request may not have reached the server (offline, timeout). */
  get isNetwork(): boolean {
    return this.status === 0
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Reads an error body defensively: a proxy or a crashed server may answer HTML or nothing. */
export function toErrorBody(status: number, payload: unknown, statusText = ''): ErrorBody {
  if (payload && typeof payload === 'object' && 'error' in payload) {
    const err = (payload as { error: unknown }).error
    if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string') {
      const body = err as ErrorBody
      return { ...body, message: typeof body.message === 'string' ? body.message : body.code }
    }
  }
  return { code: status >= 500 ? 'server_error' : CLIENT_CODES.badResponse, message: statusText || `HTTP ${status}` }
}
