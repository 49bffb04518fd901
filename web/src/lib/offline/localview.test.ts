// The local view answers the list and detail reads the way the API does (service worker, offline).
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { OfflineDb, setMeta } from './db'
import { listLocalHazards, applyToHazard } from './localview'
import { fileIdsOf } from './hazard-actions'

let dbs: OfflineDb[] = []
afterEach(async () => {
  for (const db of dbs) await db.delete()
  dbs = []
})

const h = (id: string, o: Record<string, unknown>) => ({ id, data: { id, status: 'assigned', grade: 'blue', reporter_id: 'u1', assignee_id: 'u2', due_at: '', reported_at: '', ...o }, pending: 0 as const, updated_at: '' })

describe('listLocalHazards', () => {
  it('filters like GET /hazards: status list, mine, reporter; sorts by due_at or newest report first', async () => {
    const db = new OfflineDb(`lv-${Date.now()}`)
    dbs.push(db)
    await setMeta(db, 'me', { id: 'u2', name: '刘洋' })
    await db.hazards.bulkPut([
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
