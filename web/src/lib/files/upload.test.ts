// The upload helper against a scripted fetch (the e2e suite covers the real server).
import { describe, expect, it } from 'vitest'
import { ApiClient } from '../api/client'
import { createTokenStore } from '../auth/token'
import { sha256Hex } from './hash'
import { scaledSize } from './image'
import { uploadBlob } from './upload'

// sha256("abc"), from FIPS 180-2 appendix B.1
const ABC_SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

function tokens() {
  const store = createTokenStore(undefined)
  store.set({ token: 'tok' })
  return store
}

function client(answers: (url: string, init: RequestInit) => Response) {
  const calls: { method: string; url: string; body?: unknown }[] = []
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ method: String(init.method), url, body: init.body })
    return answers(url, init)
  }) as unknown as typeof globalThis.fetch
  return { calls, client: new ApiClient({ tokens: tokens(), fetch }) }
}

const stored = (id: string) =>
  new Response(JSON.stringify({ id, size: 3, content_type: 'text/plain' }), { status: 201, headers: { 'Content-Type': 'application/json' } })

describe('sha256Hex', () => {
  it('hashes a blob', async () => {
    expect(await sha256Hex(new Blob(['abc']))).toBe(ABC_SHA)
  })
})

describe('uploadBlob', () => {
  it('skips the upload when HEAD says the server has the file', async () => {
    const { calls, client: c } = client(() => new Response(null, { status: 200 }))
    const r = await uploadBlob(new Blob(['abc'], { type: 'text/plain' }), { client: c })
    expect(r).toEqual({ id: ABC_SHA, uploaded: false, size: 3, content_type: 'text/plain' })
    expect(calls.map((x) => `${x.method} ${x.url}`)).toEqual([`HEAD /api/v1/files/${ABC_SHA}`])
  })

  it('uploads the bytes when HEAD answers 404', async () => {
    const { calls, client: c } = client((_url, init) =>
      init.method === 'HEAD'
        ? new Response(JSON.stringify({ error: { code: 'not_found', message: 'x' } }), { status: 404 })
        : stored(ABC_SHA),
    )
    const blob = new Blob(['abc'], { type: 'text/plain' })
    const r = await uploadBlob(blob, { client: c })
    expect(r).toEqual({ id: ABC_SHA, uploaded: true, size: 3, content_type: 'text/plain' })
    expect(calls.map((x) => `${x.method} ${x.url}`)).toEqual([`HEAD /api/v1/files/${ABC_SHA}`, 'POST /api/v1/files'])
    expect(calls[1]!.body).toBe(blob)
  })

  it('does not upload when HEAD fails for another reason (the error reaches the caller)', async () => {
    const { calls, client: c } = client(() => new Response(JSON.stringify({ error: { code: 'server_error', message: 'x' } }), { status: 500 }))
    await expect(uploadBlob(new Blob(['abc']), { client: c })).rejects.toMatchObject({ status: 500 })
    expect(calls).toHaveLength(1)
  })
})

describe('scaledSize', () => {
  it('keeps the long side at most maxEdge, preserving the aspect ratio', () => {
    expect(scaledSize(4000, 3000, 1920)).toEqual({ width: 1920, height: 1440 })
    expect(scaledSize(3000, 4000, 1920)).toEqual({ width: 1440, height: 1920 })
    expect(scaledSize(1000, 800, 1920)).toEqual({ width: 1000, height: 800 })
  })
})
