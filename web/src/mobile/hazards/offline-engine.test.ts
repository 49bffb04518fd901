// @vitest-environment node
// (Node's Blob survives fake-indexeddb's structured clone; happy-dom's does not. Browsers store Blobs.)
// The sync engine against a scripted server (in memory, idempotent by mutation id like the real one);
// the e2e test mobile.offline.spec.ts runs it against the real server.
import 'fake-indexeddb/auto'
import './offline'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiClient } from '@/lib/api/client'
import { createTokenStore } from '@/lib/auth/token'
import { sha256Hex } from '@/lib/files/hash'
import { OfflineDb, getMeta, setMeta } from '@/lib/offline/db'
import { SyncEngine, SyncScheduler, withSyncLock } from '@/lib/offline/engine'
import { CHUNKED_ABOVE, keepFile, uploadChunked } from '@/lib/offline/files'
import { enqueue, outboxCounts, requeueAll } from '@/lib/offline/outbox'

let n = 0
let dbs: OfflineDb[] = []
function freshDb() {
  const db = new OfflineDb(`engine-test-${++n}-${Date.now()}`)
  dbs.push(db)
  return db
}
afterEach(async () => {
  for (const db of dbs) await db.delete()
  dbs = []
})

interface Mut {
  id: string
  type: string
  payload: Record<string, unknown>
}

/** A tiny stand-in for SafeLoop: /sync (idempotent by id), files (HEAD/POST, resumable uploads), /sync/changes. */
class FakeServer {
  applied = new Map<string, unknown>()
  hazards = new Map<string, Record<string, unknown>>()
  files = new Map<string, number>()
  sessions = new Map<string, { sha: string; size: number; received: number }>()
  calls: string[] = []
  syncBatches: number[] = []
  /** Throw a network error on the n-th call matching the predicate. */
  failures: Array<{ match: (method: string, path: string) => boolean; remaining: number }> = []
  rejectTitles = new Set<string>()
  /** Apply the next n batches but lose their answers (the connection drops after the server committed). */
  lostAnswers = 0

  fetch = (async (url: string, init: RequestInit) => {
    const method = String(init.method)
    const path = url.replace('/api/v1', '')
    this.calls.push(`${method} ${path.split('?')[0]}`)
    for (const f of this.failures) {
      if (f.remaining > 0 && f.match(method, path)) {
        f.remaining--
        throw new TypeError('Failed to fetch')
      }
    }
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
    const fileHead = /^\/files\/([0-9a-f]{64})$/.exec(path)
    if (method === 'HEAD' && fileHead) return new Response(null, { status: this.files.has(fileHead[1]!) ? 200 : 404 })
    if (method === 'POST' && path === '/files') {
      const blob = init.body as Blob
      const sha = (await sha256Hex(blob))!
      this.files.set(sha, blob.size)
      return json(201, { id: sha, size: blob.size, content_type: blob.type })
    }
    if (method === 'POST' && path === '/files/uploads') {
      const b = JSON.parse(String(init.body)) as { sha256: string; size: number }
      if (this.files.has(b.sha256)) return json(200, { upload_id: null, complete: true })
      let id = [...this.sessions].find(([, s]) => s.sha === b.sha256)?.[0]
      if (!id) this.sessions.set((id = `up-${this.sessions.size + 1}`), { sha: b.sha256, size: b.size, received: 0 })
      return json(201, { upload_id: id, complete: false, received: this.sessions.get(id)!.received, chunk_max: 8 << 20 })
    }
    const put = /^\/files\/uploads\/(.+)$/.exec(path)
    if (method === 'PUT' && put) {
      const s = this.sessions.get(put[1]!)!
      const [, first, last] = /bytes (\d+)-(\d+)\//.exec((init.headers as Record<string, string>)['Content-Range']!)!.map(Number)
      if (first !== s.received) return json(422, { error: { code: 'offset_mismatch', message: 'x', received: s.received } })
      s.received = last! + 1
      if (s.received === s.size) {
        this.files.set(s.sha, s.size)
        this.sessions.delete(put[1]!)
        return json(201, { complete: true, file: { id: s.sha } })
      }
      return json(200, { upload_id: put[1], complete: false, received: s.received })
    }
    if (method === 'POST' && path === '/sync') {
      const body = JSON.parse(String(init.body)) as { mutations: Mut[] }
      this.syncBatches.push(body.mutations.length)
      const results = body.mutations.map((m) => {
        if (this.applied.has(m.id)) return { id: m.id, status: 'duplicate', result: this.applied.get(m.id) }
        const photos = (m.payload.photos as string[] | undefined) ?? []
        const missing = photos.filter((p) => !this.files.has(p))
        if (missing.length) return { id: m.id, status: 'rejected', error: { code: 'file_missing', message: 'x', retryable: true, missing } }
        if (this.rejectTitles.has(String(m.payload.title))) {
          const error = { code: 'validation_failed', message: '标题不合适 / bad title', retryable: false }
          this.applied.set(m.id, null)
          return { id: m.id, status: 'rejected', error }
        }
        const hazard = { id: m.payload.id, code: `YH-${this.hazards.size + 1}`, status: 'reported', grade: m.payload.grade, title: m.payload.title }
        this.hazards.set(String(m.payload.id), hazard)
        this.applied.set(m.id, hazard)
        return { id: m.id, status: 'applied', result: hazard }
      })
      if (this.lostAnswers > 0) {
        this.lostAnswers--
        throw new TypeError('Failed to fetch')
      }
      return json(200, { results })
    }
    if (method === 'GET' && path.startsWith('/sync/changes')) {
      const cursor = new URL(url, 'http://x').searchParams.get('cursor')
      if (cursor === 'c2') return json(200, { changes: [], next_cursor: 'c2', has_more: false })
      if (cursor === 'c1')
        return json(200, { changes: [{ type: 'hazard_settings', data: { grades: [] } }, { type: 'hazard_removed', id: 'gone' }], next_cursor: 'c2', has_more: false })
      return json(200, { changes: [{ type: 'hazard', id: 'srv-1', data: { id: 'srv-1', status: 'assigned', grade: 'blue', title: 'from server' } }], next_cursor: 'c1', has_more: true })
    }
    return json(404, { error: { code: 'not_found', message: path } })
  }) as unknown as typeof fetch
}

function setup(batchSize = 100) {
  const db = freshDb()
  const server = new FakeServer()
  const tokens = createTokenStore(undefined)
  tokens.set({ token: 'tok' })
  const client = new ApiClient({ tokens, fetch: server.fetch })
  const engine = new SyncEngine({ db, client, deviceId: 'phone-1', userId: 'u1', batchSize })
  return { db, server, client, engine }
}

const hid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
async function report(db: OfflineDb, i: number, extra: Record<string, unknown> = {}, files: string[] = []) {
  return enqueue(db, { id: `m${i}`, type: 'hazard.create', payload: { id: hid(i), title: `t${i}`, grade: 'red', photos: files, ...extra }, files, user_id: 'u1' })
}

describe('SyncEngine.push', () => {
  it('sends in order, at most 100 per batch, and marks everything synced', async () => {
    const { db, server, engine } = setup()
    for (let i = 1; i <= 250; i++) await report(db, i)
    const r = await engine.run()
    expect(server.syncBatches).toEqual([100, 100, 50])
    expect(r).toMatchObject({ sent: 250, synced: 250, refused: 0, remaining: 0 })
    expect(server.hazards.size).toBe(250)
    expect([...server.hazards.keys()]).toEqual(Array.from({ length: 250 }, (_, i) => hid(i + 1)))
    expect(await getMeta(db, 'last_success_at')).toBeTruthy()
  })

  it('a network failure mid-batch leaves the batch waiting; the next run re-sends it whole and nothing doubles', async () => {
    const { db, server, engine } = setup(2)
    for (let i = 1; i <= 5; i++) await report(db, i)
    // the first batch is answered; the second is applied by the server but its answer is lost
    let seen = 0
    const realFetch = server.fetch
    server.fetch = (async (url: string, init: RequestInit) => {
      if (String(init.method) === 'POST' && url.endsWith('/sync') && ++seen === 2) server.lostAnswers = 1
      return realFetch(url, init)
    }) as unknown as typeof fetch
    const e2 = new SyncEngine({ db, client: new ApiClient({ tokens: engine['o'].client.tokens, fetch: (u, i) => server.fetch(u as string, i!) }), deviceId: 'phone-1', userId: 'u1', batchSize: 2 })
    await expect(e2.run()).rejects.toMatchObject({ code: 'network_error' })
    expect(await outboxCounts(db)).toEqual({ waiting: 3, sending: 0, synced: 2, refused: 0 })
    expect(((await getMeta(db, 'last_error')) as { code: string }).code).toBe('network_error')
    const r = await engine.run()
    expect(r).toMatchObject({ synced: 3, remaining: 0 })
    expect(server.syncBatches).toEqual([2, 2, 2, 1])
    expect(server.hazards.size).toBe(5)
    expect(await getMeta(db, 'last_error')).toBeNull()
  })

  it('a refused mutation does not block those after it', async () => {
    const { db, server, engine } = setup()
    server.rejectTitles.add('t2')
    for (let i = 1; i <= 3; i++) await report(db, i)
    const r = await engine.run()
    expect(r).toMatchObject({ synced: 2, refused: 1, remaining: 0 })
    const refused = await db.outbox.where('state').equals('refused').toArray()
    expect(refused.map((m) => [m.id, m.error?.code])).toEqual([['m2', 'validation_failed']])
  })

  it('re-sending the whole outbox creates nothing twice (duplicate → synced)', async () => {
    const { db, server, engine } = setup()
    for (let i = 1; i <= 20; i++) await report(db, i)
    await engine.run()
    expect(await requeueAll(db)).toBe(20)
    const r = await engine.run()
    expect(r).toMatchObject({ sent: 20, synced: 20, remaining: 0 })
    expect(server.hazards.size).toBe(20)
    expect(await outboxCounts(db)).toEqual({ waiting: 0, sending: 0, synced: 20, refused: 0 })
  })

  it('uploads local files first, skipping those the server has; a missing file rejection waits (retryable)', async () => {
    const { db, server, engine } = setup()
    const a = await keepFile(db, new Blob(['photo-a'], { type: 'image/jpeg' }))
    const b = await keepFile(db, new Blob(['photo-b'], { type: 'image/jpeg' }))
    server.files.set(b, 7)
    await report(db, 1, {}, [a, b])
    await report(db, 2, {}, ['f'.repeat(64)]) // a file this phone does not hold and the server lacks
    const r = await engine.run()
    expect(server.calls.filter((c) => c.startsWith('POST /files'))).toEqual(['POST /files'])
    expect(server.files.has(a)).toBe(true)
    expect(r).toMatchObject({ synced: 1, remaining: 1 })
    expect((await db.files.get(a))?.uploaded).toBe(1)
    expect((await db.outbox.where('id').equals('m2').first())).toMatchObject({ state: 'waiting', error: { code: 'file_missing' } })
  })
})

describe('resumable upload', () => {
  it('large files go in chunks and resume from the server offset after a failure', async () => {
    const { db, server, client, engine } = setup()
    const bytes = new Uint8Array(CHUNKED_ABOVE + 1_500_000).map((_, i) => i % 251)
    const id = await keepFile(db, new Blob([bytes], { type: 'video/mp4' }))
    await report(db, 1, {}, [id])
    let puts = 0
    server.failures.push({ match: (m) => m === 'PUT' && ++puts === 2, remaining: 1 })
    await expect(engine.run()).rejects.toMatchObject({ code: 'network_error' })
    expect([...server.sessions.values()][0]?.received).toBe(1024 * 1024)
    await engine.run()
    expect(server.files.get(id)).toBe(bytes.length)
    // 1 MB chunks: the first, the failed second, then the second again, third, fourth
    expect(server.calls.filter((c) => c.startsWith('PUT')).length).toBe(5)
    expect(server.calls.filter((c) => c === 'POST /files/uploads').length).toBe(2)
    void client
  })

  it('a chunk sent twice continues from the received offset the server names', async () => {
    const { server, client } = setup()
    const blob = new Blob([new Uint8Array(3000)])
    const sha = (await sha256Hex(blob))!
    server.sessions.set('up-x', { sha, size: 3000, received: 2000 })
    // the session says 0 (a stale answer), the server stands at 2000: offset_mismatch tells where
    const stale = server.fetch
    let first = true
    server.fetch = (async (url: string, init: RequestInit) => {
      if (first && String(init.method) === 'POST') {
        first = false
        return new Response(JSON.stringify({ upload_id: 'up-x', complete: false, received: 0, chunk_max: 1000 }), { status: 200 })
      }
      return stale(url, init)
    }) as unknown as typeof fetch
    const c2 = new ApiClient({ tokens: client.tokens, fetch: server.fetch })
    await uploadChunked(c2, sha, blob, { chunkBytes: 1000 })
    expect(server.files.get(sha)).toBe(3000)
  })
})

describe('SyncEngine.pull', () => {
  it('follows next_cursor while has_more, stores hazards, settings and the cursor', async () => {
    const { db, engine } = setup()
    await db.records.put({ kind: 'hazard', id: 'gone', data: { id: 'gone' }, pending: 0, updated_at: '' })
    expect(await engine.pull()).toBe(3)
    expect((await db.records.get(['hazard', 'srv-1']))?.data.title).toBe('from server')
    expect(await db.records.get(['hazard', 'gone'])).toBeUndefined()
    expect(await getMeta(db, 'hazard_settings')).toEqual({ grades: [] })
    expect(await getMeta(db, 'cursor')).toBe('c2')
  })
})

describe('SyncScheduler', () => {
  it('backs off 5 s, 10 s, 20 s while the server is unreachable, and resets after a success', async () => {
    const { db, server, engine } = setup()
    await setMeta(db, 'me', { id: 'u1', name: 'x' })
    await report(db, 1)
    const timers: number[] = []
    const s = new SyncScheduler(engine, { setTimer: (_fn, ms) => timers.push(ms), clearTimer: () => undefined })
    server.failures.push({ match: (m, p) => m === 'POST' && p === '/sync', remaining: 3 })
    expect(await s.syncNow()).toBeNull()
    expect(await s.syncNow()).toBeNull()
    expect(await s.syncNow()).toBeNull()
    expect(timers).toEqual([5_000, 10_000, 20_000])
    expect(await s.syncNow()).toMatchObject({ synced: 1 })
    expect(s.failures).toBe(0)
    expect(timers).toHaveLength(3)
  })

  it('one run at a time: a held lock answers busy', async () => {
    const db = freshDb()
    let inner: unknown
    const outer = await withSyncLock(db, async () => {
      inner = await withSyncLock(db, async () => 'ran')
      return 'outer'
    })
    expect(outer).toBe('outer')
    expect(inner).toBe('busy')
    expect(await withSyncLock(db, async () => 'again')).toBe('again')
  })
})
