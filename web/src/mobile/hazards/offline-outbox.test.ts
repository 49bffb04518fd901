// The outbox against IndexedDB (fake-indexeddb): order, states, refusals, the local view.
import 'fake-indexeddb/auto'
import './offline'
import { afterEach, describe, expect, it } from 'vitest'
import { OfflineDb, setMeta } from '@/lib/offline/db'
import { applyResults, batches, discard, enqueue, markSending, markUnsent, outboxCounts, pendingMutations, pruneSynced, requeueAll, resend } from '@/lib/offline/outbox'

let n = 0
let dbs: OfflineDb[] = []
function freshDb() {
  const db = new OfflineDb(`outbox-test-${++n}-${Date.now()}`)
  dbs.push(db)
  return db
}
afterEach(async () => {
  for (const db of dbs) await db.delete()
  dbs = []
})

const H1 = '11111111-1111-4111-8111-111111111111'
const H2 = '22222222-2222-4222-8222-222222222222'
const create = (id: string, title = 'leak') => ({ type: 'hazard.create', payload: { id, title, grade: 'red', photos: [] as string[] } })
const t0 = new Date('2026-11-28T08:00:00Z')
const at = (s: number) => new Date(t0.getTime() + s * 1000)

describe('enqueue', () => {
  it('keeps the order made and shows a report in the local view at once', async () => {
    const db = freshDb()
    await setMeta(db, 'me', { id: 'u1', name: '王强' })
    await setMeta(db, 'hazard_settings', { grades: [{ grade: 'red', deadline_min: 120 }] })
    await enqueue(db, { id: 'm1', ...create(H1) }, at(0))
    await enqueue(db, { id: 'm2', type: 'hazard.accept', payload: { hazard_id: H1 } }, at(1))
    await enqueue(db, { id: 'm3', ...create(H2, 'smoke') }, at(2))
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
    const h = await db.records.get(['hazard', H1])
    expect(h?.pending).toBe(1)
    // the accept queued after the report applies on top of it
    expect(h?.data).toMatchObject({ id: H1, title: 'leak', status: 'accepted', reporter_id: 'u1', reporter_name: '王强' })
    expect(h?.data.due_at).toBe('2026-11-28T10:00:00.000Z') // red: 2 hours from the report
    expect((await pendingMutations(db))[1]).toMatchObject({ record_id: H1, state: 'waiting', attempts: 0 })
  })

  it('a retry of the same action (same id) is not queued twice', async () => {
    const db = freshDb()
    const a = await enqueue(db, { id: 'm1', ...create(H1) })
    const b = await enqueue(db, { id: 'm1', ...create(H1) })
    expect(b.seq).toBe(a.seq)
    expect(await db.outbox.count()).toBe(1)
  })

  it('a refused id is queued again under a new id, the hazard keeps its id', async () => {
    const db = freshDb()
    const m = await enqueue(db, { id: 'm1', ...create(H1) })
    await applyResults(db, [m], [{ id: 'm1', status: 'rejected', error: { code: 'validation_failed', message: 'title' } }])
    const again = await enqueue(db, { id: 'm1', ...create(H1, 'fixed') })
    expect(again.id).not.toBe('m1')
    expect(again.payload.id).toBe(H1)
    expect(await db.outbox.count()).toBe(1)
  })
})

describe('state transitions', () => {
  it('waiting → sending → synced for applied and duplicate; the answer replaces the optimistic copy', async () => {
    const db = freshDb()
    const m1 = await enqueue(db, { id: 'm1', ...create(H1) })
    const m2 = await enqueue(db, { id: 'm2', ...create(H2) })
    await markSending(db, [m1, m2])
    expect((await outboxCounts(db)).sending).toBe(2)
    expect((await db.outbox.get(m1.seq!))?.attempts).toBe(1)
    const server = { id: H1, code: 'YH-2026-000001', status: 'assigned', grade: 'red', title: 'leak' }
    const c = await applyResults(db, [m1, m2], [
      { id: 'm1', status: 'applied', result: server },
      { id: 'm2', status: 'duplicate' },
    ])
    expect(c).toEqual({ synced: 2, refused: 0, retry: 0 })
    expect(await outboxCounts(db)).toEqual({ waiting: 0, sending: 0, synced: 2, refused: 0 })
    expect(await db.records.get(['hazard', H1])).toMatchObject({ pending: 0, data: { code: 'YH-2026-000001', status: 'assigned' } })
    expect((await db.records.get(['hazard', H2]))?.pending).toBe(0)
  })

  it('rejected → refused with the reason; retryable rejections wait again', async () => {
    const db = freshDb()
    const m1 = await enqueue(db, { id: 'm1', ...create(H1) })
    const m2 = await enqueue(db, { id: 'm2', ...create(H2) })
    await markSending(db, [m1, m2])
    const c = await applyResults(db, [m1, m2], [
      { id: 'm1', status: 'rejected', error: { code: 'validation_failed', message: '标题不能为空 / title required', fields: { title: 'required' } } },
      { id: 'm2', status: 'rejected', error: { code: 'file_missing', message: 'x', retryable: true, missing: ['ab'] } },
    ])
    expect(c).toEqual({ synced: 0, refused: 1, retry: 1 })
    const [r1, r2] = await db.outbox.orderBy('seq').toArray()
    expect(r1).toMatchObject({ state: 'refused', error: { code: 'validation_failed', fields: { title: 'required' } } })
    expect(r2).toMatchObject({ state: 'waiting', error: { code: 'file_missing', retryable: true } })
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual(['m2'])
  })

  it('a batch without an answer goes back to waiting as a whole', async () => {
    const db = freshDb()
    const ms = [await enqueue(db, { id: 'm1', ...create(H1) }), await enqueue(db, { id: 'm2', ...create(H2) })]
    await markSending(db, ms)
    await markUnsent(db, ms, { code: 'network_error', message: 'offline' })
    expect(await outboxCounts(db)).toEqual({ waiting: 2, sending: 0, synced: 0, refused: 0 })
    // a mutation the answer left out also waits again
    await applyResults(db, ms, [{ id: 'm1', status: 'applied' }])
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual(['m2'])
  })
})

describe('not_found', () => {
  it('waits while this phone still has the create queued, is refused when the record came from the server', async () => {
    const db = freshDb()
    // H1 was reported on this phone and its create is still waiting: the accept may succeed later
    const c = await enqueue(db, { id: 'm1', ...create(H1) })
    const a1 = await enqueue(db, { id: 'm2', type: 'hazard.accept', payload: { hazard_id: H1 } })
    // H2 came from the server; the user can no longer see it
    const a2 = await enqueue(db, { id: 'm3', type: 'hazard.accept', payload: { hazard_id: H2 } })
    const nf = { code: 'not_found', message: 'x', retryable: true }
    const counts = await applyResults(db, [c, a1, a2], [
      { id: 'm1', status: 'rejected', error: { code: 'file_missing', message: 'x', retryable: true } },
      { id: 'm2', status: 'rejected', error: nf },
      { id: 'm3', status: 'rejected', error: nf },
    ])
    expect(counts).toEqual({ synced: 0, refused: 1, retry: 2 })
    expect((await db.outbox.orderBy('seq').toArray()).map((m) => m.state)).toEqual(['waiting', 'waiting', 'refused'])
  })
})

describe('refused records', () => {
  it('resend: the fixed payload goes under a new id at the end of the queue', async () => {
    const db = freshDb()
    const m1 = await enqueue(db, { id: 'm1', ...create(H1, '') })
    await enqueue(db, { id: 'm2', ...create(H2) })
    await applyResults(db, [m1], [{ id: 'm1', status: 'rejected', error: { code: 'validation_failed', message: 'title' } }])
    const fixed = await resend(db, 'm1', { ...m1.payload, title: 'fixed' })
    expect(fixed.id).not.toBe('m1')
    expect(fixed).toMatchObject({ state: 'waiting', record_id: H1, payload: { id: H1, title: 'fixed' } })
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual(['m2', fixed.id])
    expect((await db.records.get(['hazard', H1]))?.data.title).toBe('fixed')
  })

  it('discard: a refused report leaves the local view; a refused change restores the server copy', async () => {
    const db = freshDb()
    const m1 = await enqueue(db, { id: 'm1', ...create(H1) })
    await applyResults(db, [m1], [{ id: 'm1', status: 'rejected', error: { code: 'forbidden', message: 'no' } }])
    await discard(db, 'm1')
    expect(await db.records.get(['hazard', H1])).toBeUndefined()
    expect(await db.outbox.count()).toBe(0)

    await db.records.put({ kind: 'hazard', id: H2, data: { id: H2, status: 'assigned', grade: 'red' }, pending: 0, updated_at: '' })
    const acc = await enqueue(db, { id: 'm3', type: 'hazard.accept', payload: { hazard_id: H2 } })
    expect((await db.records.get(['hazard', H2]))?.data.status).toBe('accepted')
    await applyResults(db, [acc], [{ id: 'm3', status: 'rejected', error: { code: 'reassigned', message: 'reassigned to 刘洋' } }])
    await discard(db, 'm3')
    expect(await db.records.get(['hazard', H2])).toMatchObject({ pending: 0, data: { status: 'assigned' } })
  })
})

describe('batches and re-sending', () => {
  it('splits in order, at most n per batch', () => {
    const items = Array.from({ length: 250 }, (_, i) => i)
    const b = batches(items, 100)
    expect(b.map((x) => x.length)).toEqual([100, 100, 50])
    expect(b.flat()).toEqual(items)
    expect(batches([], 100)).toEqual([])
    expect(() => batches(items, 0)).toThrow()
  })

  it('requeueAll puts synced records back to waiting, in their original order', async () => {
    const db = freshDb()
    const ms = [await enqueue(db, { id: 'm1', ...create(H1) }), await enqueue(db, { id: 'm2', ...create(H2) })]
    await applyResults(db, ms, [
      { id: 'm1', status: 'applied' },
      { id: 'm2', status: 'applied' },
    ])
    expect(await requeueAll(db)).toBe(2)
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual(['m1', 'm2'])
  })
})

describe('pruneSynced', () => {
  it('drops synced records older than the window and the files only they needed', async () => {
    const db = freshDb()
    const fa = 'a'.repeat(64)
    const fb = 'b'.repeat(64)
    for (const id of [fa, fb]) await db.files.put({ id, blob: new Blob(['x']), content_type: 'image/png', size: 1, created_at: '', uploaded: 1 })
    const old = await enqueue(db, { id: 'm1', ...create(H1), files: [fa] }, at(0))
    const kept = await enqueue(db, { id: 'm2', ...create(H2), files: [fb] }, at(0))
    await applyResults(db, [old], [{ id: 'm1', status: 'applied' }], at(0))
    await applyResults(db, [kept], [{ id: 'm2', status: 'applied' }], at(3600))
    // 7 days and 30 min later: m1 (synced at 0) is past the 7-day window; m2 (synced an hour later) is not
    const day = 24 * 3600
    expect(await pruneSynced(db, 7 * day * 1000, at(7 * day + 1800))).toBe(1)
    expect((await db.outbox.toArray()).map((m) => m.id)).toEqual(['m2'])
    expect((await db.files.toArray()).map((f) => f.id)).toEqual([fb])
  })
})
