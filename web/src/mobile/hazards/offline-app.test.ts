// The form path: a write queued while online waits for the server's verdict; a refusal reaches the form
// and the fixed record is sent under a new id (the server remembers its refusal of the old one).
import 'fake-indexeddb/auto'
import './offline'
import { afterEach, describe, expect, it } from 'vitest'
import { offlineDb } from '@/lib/offline/db'
import { outcome, queueMutation } from '@/lib/offline/app'
import { applyResults, enqueue, outboxCounts } from '@/lib/offline/outbox'

afterEach(async () => {
  await offlineDb().outbox.clear()
  await offlineDb().records.clear()
})

const H = '33333333-3333-4333-8333-333333333333'

describe('outcome', () => {
  it('answers the applied result', async () => {
    const db = offlineDb()
    const m = await queueMutation({ id: 'f1', type: 'hazard.create', payload: { id: H, title: 'x', grade: 'blue' } })
    await applyResults(db, [m], [{ id: 'f1', status: 'applied', result: { id: H, code: 'YH-1', status: 'assigned', grade: 'blue' } }])
    expect(await outcome('f1')).toEqual({ state: 'synced', result: { id: H, code: 'YH-1', status: 'assigned', grade: 'blue' } })
  })

  it('a refusal is thrown for the form, drops off the status counts, and the resubmission gets a new id', async () => {
    const db = offlineDb()
    const m = await queueMutation({ id: 'f2', type: 'hazard.create', payload: { id: H, title: '', grade: 'blue' } })
    await applyResults(db, [m], [{ id: 'f2', status: 'rejected', error: { code: 'validation_failed', message: '标题必填 / title required', fields: { title: 'required' } } }])
    await expect(outcome('f2')).rejects.toMatchObject({ code: 'validation_failed', fields: { title: 'required' } })
    expect((await outboxCounts(db)).refused).toBe(0)
    expect(await db.records.get(['hazard', H])).toBeUndefined() // the optimistic report is gone with it
    const again = await enqueue(db, { id: 'f2', type: 'hazard.create', payload: { id: H, title: 'fixed', grade: 'blue' } })
    expect(again.id).not.toBe('f2')
    expect(again.payload.id).toBe(H)
  })

  it('answers queued when nobody is syncing (offline, not started)', async () => {
    await queueMutation({ id: 'f3', type: 'hazard.accept', payload: { hazard_id: H } })
    expect(await outcome('f3')).toEqual({ state: 'queued' })
  })
})
