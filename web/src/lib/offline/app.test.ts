// `outcome` follows an outbox entry with Dexie's liveQuery: the server's verdict, written into the outbox
// by the engine (or another tab), reaches the waiting form at once, and nothing re-reads IndexedDB on a
// timer meanwhile.
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { offlineDb } from './db'
import { outcome, queueMutation, startOfflineSync, stopOfflineSync } from './app'
import { applyResults } from './outbox'
import type { ApiClient } from '../api/client'

afterEach(async () => {
  stopOfflineSync()
  vi.restoreAllMocks()
  await offlineDb().outbox.clear()
  await offlineDb().records.clear()
})

/** A server that takes the batch and never answers: the engine stays busy sending. */
const silentServer = { post: () => new Promise(() => undefined), get: () => new Promise(() => undefined) } as unknown as ApiClient

describe('outcome', () => {
  it('a change to the outbox reaches the waiting caller without polling', async () => {
    const db = offlineDb()
    await startOfflineSync(silentServer, { id: 'u1', name: 'w' }, db)
    const m = await queueMutation({ id: 'live-1', type: 'gadget.make', payload: { id: 'g1' } })
    const reads = vi.spyOn(db.outbox, 'where')
    let settled = false
    const waiting = outcome(m.id).finally(() => (settled = true))
    await new Promise((r) => setTimeout(r, 900))
    expect(settled).toBe(false)
    // Polling every 150 ms would have read the entry six times by now; the live query read it once.
    expect(reads.mock.calls.filter(([index]) => String(index) === 'id').length).toBeLessThanOrEqual(2)
    const before = Date.now()
    await applyResults(db, [m], [{ id: m.id, status: 'applied', result: { id: 'g1', made: true } }])
    expect(await waiting).toEqual({ state: 'synced', result: { id: 'g1', made: true } })
    expect(Date.now() - before).toBeLessThan(150)
  })

  it('a refusal is thrown for the form and drops off the status counts', async () => {
    const db = offlineDb()
    await startOfflineSync(silentServer, { id: 'u1', name: 'w' }, db)
    const m = await queueMutation({ id: 'live-2', type: 'gadget.make', payload: { id: 'g2', name: '' } })
    const waiting = outcome(m.id)
    await applyResults(db, [m], [{ id: m.id, status: 'rejected', error: { code: 'validation_failed', message: 'name required', fields: { name: 'required' } } }])
    await expect(waiting).rejects.toMatchObject({ code: 'validation_failed', fields: { name: 'required' } })
    expect((await db.outbox.where('id').equals(m.id).first())?.handled).toBe(1)
  })

  it('answers queued when nobody is syncing (offline, not started), and when the time is up', async () => {
    const m = await queueMutation({ id: 'live-3', type: 'gadget.make', payload: {} })
    expect(await outcome(m.id)).toEqual({ state: 'queued' })
    await startOfflineSync(silentServer, { id: 'u1', name: 'w' }, offlineDb())
    const n = await queueMutation({ id: 'live-4', type: 'gadget.make', payload: {} })
    expect(await outcome(n.id, 200)).toEqual({ state: 'queued' })
  })
})
