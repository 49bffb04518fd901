// The offline layer knows features only through the registry: a made-up feature (notes) registers its
// record kind, mutation and change types, and the outbox, the engine's change feed and the database
// upgrade work with it exactly as with any real feature.
import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OfflineDb, getMeta } from './db'
import { SyncEngine } from './engine'
import { applyResults, discard, enqueue } from './outbox'
import { getLocalRecord } from './localview'
import { localReadFor, registerOfflineFeature, unregisterOfflineFeature, type Json, type OfflineFeature } from './registry'
import type { ApiClient } from '../api/client'

const isNote = (r: unknown): r is Json => !!r && typeof r === 'object' && typeof (r as Json).id === 'string' && 'text' in (r as Json)

const notes: OfflineFeature = {
  name: 'notes',
  records: [{ kind: 'note', isRecord: isNote, legacyStore: 'notes' }],
  mutations: [
    { type: 'note.create', kind: 'note', creates: true, apply: (_c, m, ctx) => ({ id: m.payload.id, text: m.payload.text, by: ctx.me?.name ?? '' }) },
    {
      type: 'note.edit',
      kind: 'note',
      recordField: 'note_id',
      apply: (c, m) => (c ? { ...c, text: m.payload.text } : undefined),
      guard: (p, c) => ({ ...p, seen_version: c?.version }),
    },
  ],
  changes: [
    { type: 'note', apply: (c, ctx) => ctx.storeServer('note', c.data as Json) },
    { type: 'note_removed', apply: (c, ctx) => ctx.remove('note', String(c.id)) },
    { type: 'note_settings', apply: (c, ctx) => ctx.setMeta('note_settings', c.data) },
  ],
  reads: [{ path: /^\/api\/v1\/notes\/(\w+)$/, read: (db, m) => getLocalRecord(db, 'note', m[1]!) }],
  userMeta: ['note_settings'],
}

let dbs: OfflineDb[] = []
beforeEach(() => registerOfflineFeature(notes))
afterEach(async () => {
  unregisterOfflineFeature('notes')
  for (const db of dbs) await db.delete()
  dbs = []
})
const open = (name: string, legacy?: Record<string, string>) => {
  const db = legacy ? new OfflineDb(name, legacy) : new OfflineDb(name)
  dbs.push(db)
  return db
}

describe('a registered feature', () => {
  it('its mutations update the local view at once; a refusal discarded restores the server copy', async () => {
    const db = open(`reg-a-${Date.now()}`)
    await db.meta.put({ key: 'me', value: { id: 'u1', name: '王强' } })
    const m = await enqueue(db, { id: 'm1', type: 'note.create', payload: { text: 'first' } })
    expect(m.payload.id).toBe('m1') // a create's record id is fixed at once
    expect(await db.records.get(['note', 'm1'])).toMatchObject({ pending: 1, data: { id: 'm1', text: 'first', by: '王强' } })
    await applyResults(db, [m], [{ id: 'm1', status: 'applied', result: { id: 'm1', text: 'first', version: 3 } }])
    expect(await db.records.get(['note', 'm1'])).toMatchObject({ pending: 0, data: { version: 3 } })

    const edit = await enqueue(db, { id: 'm2', type: 'note.edit', payload: { note_id: 'm1', text: 'second' } })
    expect(edit.record_id).toBe('m1') // from the type's recordField
    expect((await db.records.get(['note', 'm1']))?.data.text).toBe('second')
    await discard(db, 'm2')
    expect(await db.records.get(['note', 'm1'])).toMatchObject({ pending: 0, data: { text: 'first' } })
  })

  it('its change-feed types are stored by its adapters; types nobody registered are skipped', async () => {
    const db = open(`reg-b-${Date.now()}`)
    const engine = new SyncEngine({ db, client: {} as ApiClient, deviceId: 'd', userId: 'u1' })
    await db.records.put({ kind: 'note', id: 'old', data: { id: 'old', text: 'x' }, pending: 0, updated_at: '' })
    await engine.applyChanges([
      { type: 'note', id: 'n1', data: { id: 'n1', text: 'from server' } },
      { type: 'note_removed', id: 'old' },
      { type: 'note_settings', data: { colour: 'red' } },
      { type: 'gadget', id: 'g1', data: { id: 'g1' } },
    ])
    expect((await db.records.get(['note', 'n1']))?.data.text).toBe('from server')
    expect(await db.records.get(['note', 'old'])).toBeUndefined()
    expect(await getMeta(db, 'note_settings')).toEqual({ colour: 'red' })
    expect(await db.records.count()).toBe(1)
    // Its reads answer from the local view.
    const found = localReadFor(new URL('http://x/api/v1/notes/n1'))!
    expect(await found.read.read(db, found.match, new URL('http://x/api/v1/notes/n1'))).toMatchObject({ text: 'from server' })
    expect(localReadFor(new URL('http://x/api/v1/gadgets/1'))).toBeNull()
  })

  it('a mutation of a type nobody registered is queued and sent, the local view left alone', async () => {
    const db = open(`reg-c-${Date.now()}`)
    const m = await enqueue(db, { id: 'x1', type: 'gadget.make', payload: { id: 'g1' } })
    expect(m.state).toBe('waiting')
    expect(await db.records.count()).toBe(0)
  })

  it('types are unique across features', () => {
    expect(() => registerOfflineFeature({ name: 'other', mutations: [{ type: 'note.create', kind: 'note', apply: () => undefined }] })).toThrow(/twice/)
  })
})

describe('the database of an existing phone (schema 1, a store per kind)', () => {
  it('moves the records into `records` and keeps every queued mutation, file and meta', async () => {
    const name = `reg-up-${Date.now()}`
    // What an older app version created.
    const v1 = new Dexie(name)
    v1.version(1).stores({ outbox: '++seq, &id, state, record_id', files: '&id, uploaded', notes: '&id, updated_at', meta: '&key' })
    await v1.open()
    await v1.table('notes').bulkPut([
      { id: 'n1', data: { id: 'n1', text: 'kept' }, pending: 0, updated_at: 'T1' },
      { id: 'n2', data: { id: 'n2', text: 'mine' }, pending: 1, updated_at: 'T2', server: null },
    ])
    await v1.table('outbox').add({ id: 'q1', type: 'note.create', payload: { id: 'n2', text: 'mine' }, state: 'waiting', record_id: 'n2', files: [], attempts: 0, created_at: 'T2', updated_at: 'T2', user_id: 'u1' })
    await v1.table('meta').put({ key: 'cursor', value: '42' })
    v1.close()

    const db = open(name)
    expect(await db.records.get(['note', 'n1'])).toMatchObject({ kind: 'note', pending: 0, data: { text: 'kept' } })
    expect(await db.records.get(['note', 'n2'])).toMatchObject({ pending: 1, data: { text: 'mine' } })
    expect(await db.outbox.where('id').equals('q1').first()).toMatchObject({ state: 'waiting', record_id: 'n2' })
    expect(await getMeta(db, 'cursor')).toBe('42')
    expect(db.tables.map((t) => t.name).sort()).toEqual(['files', 'meta', 'outbox', 'records'])
  })

  it('a new phone gets the current schema without the old stores', async () => {
    const db = open(`reg-new-${Date.now()}`, { notes: 'note' })
    await db.open()
    expect(db.tables.map((t) => t.name).sort()).toEqual(['files', 'meta', 'outbox', 'records'])
  })
})
