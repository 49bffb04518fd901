// What the offline layer knows about features: nothing until they tell it. Each feature with offline
// data registers one `OfflineFeature` from its own folder (e.g. src/mobile/<feature>/offline.ts):
//   records    its kinds of local record (how to recognise one in a write's answer);
//   mutations  its outbox types: which record a mutation is about, what it does to the local view at
//              once (optimistic), what it adds from the record as displayed (conflict guards);
//   changes    its change-feed types (GET /sync/changes): how each is stored on the phone;
//   reads      the GET answers it can give from the phone when the network is gone (the service worker
//              and the app both use them);
//   userMeta   meta keys of per-user reference data, dropped when another user signs in on the phone.
// The outbox, the engine, the service worker and the status screen work through this registry only.
import type { LocalRecord, OfflineDb, OutboxMutation } from './db'

export type Json = Record<string, unknown>

export interface LocalUser {
  id: string
  name: string
}

/** What an optimistic update may read besides the record: who is signed in, the feature's meta. */
export interface OptimisticContext {
  db: OfflineDb
  me: LocalUser | undefined
  meta<T>(key: string): Promise<T | undefined>
}

export interface RecordKind {
  kind: string
  /** True when a write's answer is a record of this kind (it then replaces the phone's copy). */
  isRecord(value: unknown): value is Json
  /** The IndexedDB store this kind had to itself in schema version 1 (its rows move into `records`). */
  legacyStore?: string
}

export interface MutationAdapter {
  type: string
  /** The kind of record it changes. */
  kind: string
  /** It makes a new record whose id is `payload.id` (kept when the mutation id changes on a resend). */
  creates?: boolean
  /** The payload field naming the record it is about (default: `id`, then the mutation id). */
  recordField?: string
  /**
   * The record as the phone shows it right after this mutation, before the server has seen it
   * (`current` is undefined for a create). Undefined leaves the local view as it is.
   */
  apply(current: Json | undefined, m: OutboxMutation, ctx: OptimisticContext): Json | undefined | Promise<Json | undefined>
  /** Adds what the server needs to refuse a stale offline action, from the record as displayed. */
  guard?(payload: Json, current: Json | undefined): Json
}

/** What a change-feed entry may do to the phone's store. */
export interface ChangeContext {
  db: OfflineDb
  now: string
  /** Stores the server's copy of a record (the phone's unsent changes stay applied on top). */
  storeServer(kind: string, data: Json): Promise<void>
  /** Drops a record, unless the phone still has something of it to send. */
  remove(kind: string, id: string): Promise<void>
  setMeta(key: string, value: unknown): Promise<void>
}

export interface ChangeAdapter {
  type: string
  apply(change: Json, ctx: ChangeContext): Promise<void>
}

/** A GET the phone can answer from its own store (`path` is matched against the URL's pathname). */
export interface LocalRead {
  path: RegExp
  /** The answer's body, or undefined when the phone does not hold it. */
  read(db: OfflineDb, match: RegExpExecArray, url: URL): Promise<unknown>
  /** Keeps a successful network answer for later (the service worker calls it). */
  remember?(db: OfflineDb, match: RegExpExecArray, body: unknown): Promise<void>
}

export interface OfflineFeature {
  name: string
  records?: RecordKind[]
  mutations?: MutationAdapter[]
  changes?: ChangeAdapter[]
  reads?: LocalRead[]
  userMeta?: string[]
}

const features = new Map<string, OfflineFeature>()
const kinds = new Map<string, RecordKind>()
const mutations = new Map<string, MutationAdapter>()
const changes = new Map<string, ChangeAdapter>()

/** Registers a feature (again under the same name: replaced). Types are unique across features. */
export function registerOfflineFeature(f: OfflineFeature): void {
  if (features.has(f.name)) unregisterOfflineFeature(f.name)
  const clash = (what: string, name: string, map: Map<string, unknown>) => {
    if (map.has(name)) throw new Error(`offline ${what} ${name} is registered twice (feature ${f.name})`)
  }
  for (const k of f.records ?? []) clash('record kind', k.kind, kinds)
  for (const m of f.mutations ?? []) clash('mutation type', m.type, mutations)
  for (const c of f.changes ?? []) clash('change type', c.type, changes)
  features.set(f.name, f)
  for (const k of f.records ?? []) kinds.set(k.kind, k)
  for (const m of f.mutations ?? []) mutations.set(m.type, m)
  for (const c of f.changes ?? []) changes.set(c.type, c)
}

export function unregisterOfflineFeature(name: string): void {
  const f = features.get(name)
  if (!f) return
  features.delete(name)
  for (const k of f.records ?? []) kinds.delete(k.kind)
  for (const m of f.mutations ?? []) mutations.delete(m.type)
  for (const c of f.changes ?? []) changes.delete(c.type)
}

export const offlineFeatures = (): OfflineFeature[] => [...features.values()]
export const recordKind = (kind: string): RecordKind | undefined => kinds.get(kind)
export const mutationAdapter = (type: string): MutationAdapter | undefined => mutations.get(type)
export const changeAdapter = (type: string): ChangeAdapter | undefined => changes.get(type)
/** The record kind a mutation type changes (undefined for a type no feature registered). */
export const kindOf = (type: string): string | undefined => mutations.get(type)?.kind

/** Schema-1 stores of the registered kinds, for the database's upgrade (db.ts). */
export function legacyStores(): Record<string, string> {
  return Object.fromEntries([...kinds.values()].filter((k) => k.legacyStore).map((k) => [k.legacyStore!, k.kind]))
}

/** Meta keys of the registered features' per-user reference data. */
export const userMetaKeys = (): string[] => offlineFeatures().flatMap((f) => f.userMeta ?? [])

/** The first registered read that answers this URL, with its match. */
export function localReadFor(url: URL): { read: LocalRead; match: RegExpExecArray } | null {
  for (const f of features.values()) {
    for (const read of f.reads ?? []) {
      const match = read.path.exec(url.pathname)
      if (match) return { read, match }
    }
  }
  return null
}

export type { LocalRecord }
