import { describe, expect, it, vi } from 'vitest'
import { ApiClient, queryString } from './client'
import { ApiError } from './errors'
import { createTokenStore, type StoredToken } from '../auth/token'

function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  }
}

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

const NOW = Date.parse('2026-03-01T08:00:00Z')

function setup(token: StoredToken | null, answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const tokens = createTokenStore(memoryStorage())
  if (token) tokens.set(token)
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => answer(String(url), init ?? {}))
  const client = new ApiClient({ tokens, fetch: fetch as unknown as typeof globalThis.fetch, now: () => NOW, locale: () => 'en' })
  const expired = vi.fn()
  client.onUnauthenticated(expired)
  return { client, fetch, tokens, expired }
}

describe('ApiClient', () => {
  it('sends the bearer token and language, and parses JSON', async () => {
    const { client, fetch } = setup({ token: 'abc' }, () => json(200, { id: 'u1' }))
    await expect(client.get('/me')).resolves.toEqual({ id: 'u1' })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/v1/me')
    const headers = init!.headers as Record<string, string>
    expect(headers.Authorization).toBe('Bearer abc')
    expect(headers['Accept-Language']).toBe('en')
  })

  it('encodes query parameters and skips empty ones', () => {
    expect(queryString({ q: '焊工 1', limit: 20, cursor: undefined, department_id: '' })).toBe(
      '?q=%E7%84%8A%E5%B7%A5+1&limit=20',
    )
  })

  it('turns the server error model into ApiError with code, message and fields', async () => {
    const { client } = setup({ token: 'abc' }, () =>
      json(422, { error: { code: 'validation_failed', message: '手机号格式不对', fields: { mobile: 'invalid' } } }),
    )
    const error = await client.post('/users', { mobile: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const e = error as ApiError
    expect(e.status).toBe(422)
    expect(e.code).toBe('validation_failed')
    expect(e.message).toBe('手机号格式不对')
    expect(e.fields).toEqual({ mobile: 'invalid' })
  })

  it('keeps endpoint-specific error extras such as import rows', async () => {
    const rows = [{ row: 2, field: 'mobile', code: 'duplicate', message: 'dup' }]
    const { client } = setup({ token: 'abc' }, () =>
      json(422, { error: { code: 'import_invalid', message: 'bad rows', rows } }),
    )
    const e = (await client.post('/org/import', {}).catch((x: unknown) => x)) as ApiError
    expect(e.body.rows).toEqual(rows)
  })

  it('survives a non-JSON error body (proxy page, crash)', async () => {
    const { client } = setup({ token: 'abc' }, () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    const e = (await client.get('/me').catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(502)
    expect(e.code).toBe('server_error')
  })

  it('reports a network failure as status 0 / network_error', async () => {
    const { client } = setup({ token: 'abc' }, () => {
      throw new TypeError('Failed to fetch')
    })
    const e = (await client.get('/me').catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(0)
    expect(e.code).toBe('network_error')
    expect(e.isNetwork).toBe(true)
  })

  it('times out a request that gets no answer', async () => {
    const tokens = createTokenStore(memoryStorage())
    tokens.set({ token: 'abc' })
    const fetch = (_: unknown, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const client = new ApiClient({ tokens, fetch: fetch as typeof globalThis.fetch, timeoutMs: 10 })
    const e = (await client.get('/me').catch((x: unknown) => x)) as ApiError
    expect(e.code).toBe('timeout')
  })

  it('answers 204 and empty bodies with undefined', async () => {
    const { client } = setup({ token: 'abc' }, () => new Response(null, { status: 204 }))
    await expect(client.post('/auth/logout')).resolves.toBeUndefined()
  })

  it('does not send a token or end the session on a failed login', async () => {
    const { client, fetch, expired } = setup(null, () =>
      json(401, { error: { code: 'invalid_credentials', message: 'wrong' } }),
    )
    const e = (await client.post('/auth/login', { login: 'a', password: 'b' }, { auth: false }).catch((x: unknown) => x)) as ApiError
    expect(e.code).toBe('invalid_credentials')
    expect((fetch.mock.calls[0]![1]!.headers as Record<string, string>).Authorization).toBeUndefined()
    expect(expired).not.toHaveBeenCalled()
  })

  it('ends the session when the server says unauthenticated', async () => {
    const { client, tokens, expired } = setup({ token: 'abc' }, () =>
      json(401, { error: { code: 'unauthenticated', message: 'token expired' } }),
    )
    const e = (await client.get('/me').catch((x: unknown) => x)) as ApiError
    expect(e.code).toBe('unauthenticated')
    expect(expired).toHaveBeenCalledWith('rejected')
    expect(tokens.get()).toBeNull()
  })

  it('does not even call the server with a token that expired locally', async () => {
    const { client, fetch, expired, tokens } = setup({ token: 'abc', expires_at: '2026-03-01T07:59:00Z' }, () => json(200, {}))
    const e = (await client.get('/me').catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(401)
    expect(e.code).toBe('unauthenticated')
    expect(fetch).not.toHaveBeenCalled()
    expect(expired).toHaveBeenCalledWith('expired')
    expect(tokens.get()).toBeNull()
  })

  it('uses a token that is still valid', async () => {
    const { client, fetch } = setup({ token: 'abc', expires_at: '2026-03-01T09:00:00Z' }, () => json(200, {}))
    await client.get('/me')
    expect(fetch).toHaveBeenCalledOnce()
  })

  it('uploads a raw body with its own Content-Type', async () => {
    const { client, fetch } = setup({ token: 'abc' }, () => json(201, { id: 'f'.repeat(64), size: 3, content_type: 'image/png' }))
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' })
    await client.post('/files', undefined, { rawBody: blob })
    const init = fetch.mock.calls[0]![1]!
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('image/png')
    expect(init.body).toBe(blob)
  })

  it('runs request and error interceptors', async () => {
    const { client } = setup({ token: 'abc' }, (_url, init) => {
      const headers = init.headers as Record<string, string>
      return headers['X-Request-Id'] === 'r1' ? json(404, { error: { code: 'not_found', message: 'no' } }) : json(200, {})
    })
    client.interceptors.request.push((req) => {
      req.init.headers['X-Request-Id'] = 'r1'
    })
    const seen: string[] = []
    client.interceptors.error.push((e) => seen.push(e.code))
    await client.get('/x').catch(() => undefined)
    expect(seen).toEqual(['not_found'])
  })
})
