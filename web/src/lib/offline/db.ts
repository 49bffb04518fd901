// The phone's offline store (IndexedDB through Dexie), shared by the app and its service worker:
//   outbox   every write the worker makes, as a sync mutation, in the order made (`seq`);
//   files    photos/videos as Blobs, named by their SHA-256 (the server's file id), until uploaded;
//   records  the local view: what GET /sync/changes sent plus what this phone did offline, one row per
//            record of any feature, keyed by [kind+id] (the kinds and what changes them are registered by
//            the features: registry.ts);
//   meta     the sync cursor, last sync times and errors, the signed-in profile, reference data the
//            features keep (under keys of their own).
// Rows are plain objects: never store a Vue reactive proxy (IndexedDB cannot clone it), and no boolean
// indexes (IndexedDB cannot index booleans) — flags are 0/1.
import Dexie, { type EntityTable, type Table } from 'dexie'
import { legacyStores } from './registry'

export type MutationState = 'waiting' | 'sending' | 'synced' | 'refused'
export const MUTATION_STATES: readonly MutationState[] = ['waiting', 'sending', 'synced', 'refused']

export interface MutationError {
  code: string
  message: string
  fields?: Record<string, string>
  retryable?: boolean
  [extra: string]: unknown
}

export interface OutboxMutation {
  /** Outbox order (auto-increment); mutations are sent in this order. */
  seq?: number
  /** The client UUID the server de-duplicates by. */
  id: string
  type: string
  payload: Record<string, unknown>
  created_at: string
  state: MutationState
  /** The server's reason (refused), or the last retryable rejection / transport failure. */
  error?: MutationError | null
  attempts: number
  /** SHA-256 ids of local files the payload references; uploaded before the mutation is sent. */
  files: string[]
  /** The record the mutation is about (its id), for per-record state badges. */
  record_id: string
  updated_at: string
  synced_at?: string | null
  /** What the server answered for `applied`/`duplicate` (e.g. the record as it now stands). */
  result?: unknown
  /** Who made it (a shared phone sends each user's mutations under their own session). */
  user_id: string
  /**
   * 1 for a refusal the form that sent it has already shown (the worker fixes it there and the form
   * sends it again, under a new id): kept so that id is never reused, not listed as refused.
   */
  handled?: 0 | 1
}

/** Still the phone's business: not synced, and not a refusal its form already dealt with. */
export const isOpen = (m: OutboxMutation) => m.state !== 'synced' && !m.handled

export interface LocalFile {
  /** SHA-256 hex: the id the server will give the file. */
  id: string
  blob: Blob
  content_type: string
  size: number
  created_at: string
  /** 1 once the server holds it (HEAD said so, or the upload finished). */
  uploaded: 0 | 1
  /** EXIF time/GPS of the original photo, kept as data (the server stores its own media probe). */
  meta?: Record<string, unknown> | null
}

export interface LocalRecord {
  /** The record's kind, as a feature registered it (registry.ts). */
  kind: string
  id: string
  /** The record as the server's detail answers it (or the phone's optimistic copy). */
  data: Record<string, unknown>
  /** 1 when the phone changed it and the server has not confirmed yet. */
  pending: 0 | 1
  updated_at: string
  /** The server's last copy under the phone's changes (restored when a refused change is discarded). */
  server?: Record<string, unknown> | null
}

export interface MetaRow {
  key: string
  value: unknown
}

export class OfflineDb extends Dexie {
  outbox!: EntityTable<OutboxMutation, 'seq'>
  files!: EntityTable<LocalFile, 'id'>
  records!: Table<LocalRecord, [string, string]>
  meta!: EntityTable<MetaRow, 'key'>

  /**
   * `legacy`: stores of schema version 1, which kept one kind of record per store, mapped to their kind
   * (features name their own: `legacyStore` in registry.ts). Version 2 moves their rows into `records`
   * and drops them; the outbox, files and meta are untouched, so nothing queued is lost.
   */
  constructor(name = 'safeloop-offline', legacy: Readonly<Record<string, string>> = legacyStores()) {
    super(name)
    const perKind = (def: string | null) => Object.fromEntries(Object.keys(legacy).map((store) => [store, def]))
    this.version(1).stores({
      outbox: '++seq, &id, state, record_id',
      files: '&id, uploaded',
      meta: '&key',
      ...perKind('&id, updated_at'),
    })
    this.version(2)
      .stores({ records: '[kind+id], kind, updated_at', ...perKind(null) })
      .upgrade(async (tx) => {
        for (const [store, kind] of Object.entries(legacy)) {
          const rows = (await tx.table(store).toArray()) as Array<Omit<LocalRecord, 'kind'>>
          await tx.table('records').bulkPut(rows.map((r) => ({ ...r, kind })))
        }
      })
  }
}

let shared: OfflineDb | null = null
/** The app's one database (opened lazily). */
export function offlineDb(): OfflineDb {
  shared ??= new OfflineDb()
  return shared
}

export async function getMeta<T>(db: OfflineDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined
}
export async function setMeta(db: OfflineDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value: plain(value) })
}

/** A structured-clone-safe copy (strips Vue proxies; Blobs must not be passed through here). */
export function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}
