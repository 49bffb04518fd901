// The local view answers the list and detail reads the way the API does (service worker, offline).
import 'fake-indexeddb/auto'
import './offline'
import { afterEach, describe, expect, it } from 'vitest'
import { OfflineDb, setMeta } from '@/lib/offline/db'
import { listLocalHazards, applyToHazard } from './offline'
import { fileIdsOf } from '@/lib/offline/write'

let dbs: OfflineDb[] = []
afterEach(async () => {
  for (const db of dbs) await db.delete()
  dbs = []
})

const h = (id: string, o: Record<string, unknown>) => ({ kind: 'hazard', id, data: { id, status: 'assigned', grade: 'blue', reporter_id: 'u1', assignee_id: 'u2', due_at: '', reported_at: '', ...o }, pending: 0 as const, updated_at: '' })

describe('listLocalHazards', () => {
  it('filters like GET /hazards: status list, mine, reporter; sorts by due_at or newest report first', async () => {
    const db = new OfflineDb(`lv-${Date.now()}`)
    dbs.push(db)
    await setMeta(db, 'me', { id: 'u2', name: '刘洋' })
    await db.records.bulkPut([
      h('a', { status: 'assigned', due_at: '2026-11-29T10:00:00Z', reported_at: '2026-11-28T01:00:00Z' }),
      h('b', { status: 'accepted', due_at: '2026-11-29T08:00:00Z', reported_at: '2026-11-28T03:00:00Z' }),
      h('c', { status: 'closed', due_at: '2026-11-29T07:00:00Z', reported_at: '2026-11-28T02:00:00Z' }),
      h('d', { status: 'rework', assignee_id: 'u9', reporter_id: 'u2', due_at: '2026-11-29T09:00:00Z', reported_at: '2026-11-28T04:00:00Z' }),
    ])
    const ids = async (q: string) => (await listLocalHazards(db, new URLSearchParams(q))).items.map((x) => x.id)
    expect(await ids('mine=true&status=assigned,accepted,rework&sort=due_at')).toEqual(['b', 'a'])
    expect(await ids('reporter_id=u2')).toEqual(['d'])
    expect(await ids('')).toEqual(['d', 'b', 'c', 'a'])
    expect(await ids('limit=2')).toEqual(['d', 'b'])
    expect((await listLocalHazards(db, new URLSearchParams())).next_cursor).toBeNull()
  })
})

describe('applyToHazard', () => {
  const base = { id: 'x', status: 'submitted', rework_rounds: 1 }
  const m = (type: string, payload: Record<string, unknown> = {}) => ({ id: 'm', type, payload, created_at: 'T', state: 'waiting' as const, attempts: 0, files: [], record_id: 'x', updated_at: 'T', user_id: '' })
  it('moves the status the way the server will', () => {
    expect(applyToHazard({ ...base, status: 'assigned' }, m('hazard.accept'))).toMatchObject({ status: 'accepted', accepted_at: 'T' })
    expect(applyToHazard({ ...base, status: 'accepted' }, m('hazard.rectify'))).toMatchObject({ status: 'submitted' })
    expect(applyToHazard(base, m('hazard.verify', { result: 'pass' }))).toMatchObject({ status: 'closed' })
    expect(applyToHazard(base, m('hazard.verify', { result: 'fail' }))).toMatchObject({ status: 'rework', rework_rounds: 2 })
    expect(applyToHazard(base, m('hazard.extension'))).toMatchObject({ pending_extension_id: 'm' })
    // What the server offered no longer holds once the phone moved the hazard on: nothing until it answers.
    expect(applyToHazard({ ...base, status: 'assigned', actions: ['accept', 'request_extension'] }, m('hazard.accept')).actions).toEqual([])
  })
})

describe('fileIdsOf', () => {
  it('finds every SHA-256 a payload names', () => {
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    const c = 'c'.repeat(64)
    expect(fileIdsOf({ photos: [a], evidence: [{ kind: 'after_photo', file_id: b }], signature_file_id: c, note: 'x', hazard_id: '00000000-0000-4000-8000-000000000001' })).toEqual([a, b, c])
    expect(fileIdsOf({ photos: [a, a] })).toEqual([a])
  })
})

describe('a phone with hazards from the app before the offline registry (schema 1)', () => {
  it('keeps them, as records of kind hazard, and its queued reports', async () => {
    const { default: Dexie } = await import('dexie')
    const name = `lv-v1-${Date.now()}`
    const v1 = new Dexie(name)
    v1.version(1).stores({ outbox: '++seq, &id, state, record_id', files: '&id, uploaded', hazards: '&id, updated_at', meta: '&key' })
    await v1.open()
    await v1.table('hazards').put({ id: 'h1', data: { id: 'h1', status: 'reported', grade: 'red', title: '漏油' }, pending: 1, updated_at: 'T', server: null })
    await v1.table('outbox').add({ id: 'q1', type: 'hazard.create', payload: { id: 'h1', title: '漏油', grade: 'red' }, state: 'waiting', record_id: 'h1', files: [], attempts: 0, created_at: 'T', updated_at: 'T', user_id: 'u1' })
    v1.close()
    const db = new OfflineDb(name)
    dbs.push(db)
    expect(await db.records.get(['hazard', 'h1'])).toMatchObject({ pending: 1, data: { title: '漏油' } })
    expect(await db.outbox.count()).toBe(1)
    expect((await listLocalHazards(db, new URLSearchParams())).items.map((x) => x.id)).toEqual(['h1'])
  })
})
