// The local view: hazards as the phone last knew them, with what it did offline applied at once
// (optimistic). The app reads it through the ordinary API calls — when the network is gone the service
// worker answers GET /hazards, /hazards/{id} and /hazards/settings from here — and the sync status
// screen and badges read the outbox beside it.
import type { OfflineDb, LocalHazard, OutboxMutation } from './db'
import { getMeta, isOpen, plain } from './db'

type Json = Record<string, unknown>

export interface LocalUser {
  id: string
  name: string
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** The hazard as the phone shows it right after reporting, before the server has seen it. */
export function optimisticHazard(m: OutboxMutation, me: LocalUser | undefined, settings?: { grades?: Array<{ grade: string; deadline_min: number }> }): Json {
  const p = m.payload
  const id = str(p.id) ?? m.id
  // The deadline the server will set (from the grade's rule, counted from when the server learns of it);
  // the phone's best guess counts from now.
  const rule = settings?.grades?.find((g) => g.grade === p.grade)
  const due = rule ? new Date(new Date(m.created_at).getTime() + rule.deadline_min * 60_000).toISOString() : m.created_at
  return {
    id,
    code: '',
    status: 'reported',
    grade: p.grade ?? 'blue',
    level: p.grade === 'red' ? 1 : 0,
    title: p.title ?? '',
    description: p.description ?? '',
    category: p.category ?? '',
    source: p.source ?? 0,
    manage_type: p.manage_type ?? 1,
    hazard_type: null,
    management_class: null,
    occurrence_link: null,
    provincial_state: 0,
    cost: null,
    liable_person_id: null,
    major_plan: null,
    site_id: null,
    department_id: null,
    department_name: null,
    team_id: null,
    location: p.location ?? '',
    position: p.position ?? null,
    asset_id: p.asset_id ?? null,
    area: p.area ?? null,
    photos: Array.isArray(p.photos) ? p.photos : [],
    change_order_no: null,
    reporter_id: me?.id ?? '',
    reporter_name: me?.name ?? null,
    assignee_id: p.assignee_id ?? null,
    assignee_name: null,
    assignment_no: 0,
    reported_at: m.created_at,
    due_at: due,
    original_due_at: due,
    assigned_at: null,
    accepted_at: null,
    submitted_at: null,
    closed_at: null,
    archived_at: null,
    overdue: false,
    remaining_s: null,
    acceptance: null,
    rework_rounds: 0,
    extension_count: 0,
    escalation_count: 0,
    pending_extension_id: null,
    version: 0,
    updated_at: m.created_at,
    events: [],
    rectifications: [],
    extensions: [],
    work_orders: [],
    required_evidence: [],
    min_video_s: 0,
  }
}

/** What a mutation does to the hazard it is about, as far as the phone can tell without the server. */
export function applyToHazard(data: Json, m: OutboxMutation): Json {
  const next: Json = { ...data, updated_at: m.created_at }
  switch (m.type) {
    case 'hazard.accept':
      return { ...next, status: 'accepted', accepted_at: m.created_at }
    case 'hazard.rectify':
      return { ...next, status: 'submitted', submitted_at: m.created_at, remaining_s: null }
    case 'hazard.verify':
      return m.payload.result === 'pass'
        ? { ...next, status: 'closed', closed_at: m.created_at, remaining_s: null }
        : { ...next, status: 'rework', rework_rounds: Number(data.rework_rounds ?? 0) + 1 }
    case 'hazard.extension':
      return { ...next, pending_extension_id: m.id }
    default:
      return next
  }
}

/** Applies a just-queued mutation to the local view (inside the caller's transaction). */
export async function applyOptimistic(db: OfflineDb, m: OutboxMutation): Promise<void> {
  const existing = await db.hazards.get(m.record_id)
  if (m.type === 'hazard.create') {
    if (existing && existing.pending === 0) return // the server already knows it (a re-send)
    const me = await getMeta<LocalUser>(db, 'me')
    const settings = await getMeta<{ grades?: Array<{ grade: string; deadline_min: number }> }>(db, 'hazard_settings')
    await db.hazards.put({ id: m.record_id, data: optimisticHazard(m, me, settings), pending: 1, updated_at: m.created_at, server: existing?.server ?? null })
    return
  }
  if (!existing) return
  await db.hazards.put({
    ...existing,
    data: applyToHazard(existing.data, m),
    pending: 1,
    updated_at: m.created_at,
    server: existing.pending === 0 ? existing.data : (existing.server ?? null),
  })
}

/** True when the outbox still holds something of this record that the server has not taken. */
export async function hasUnsynced(db: OfflineDb, recordId: string): Promise<boolean> {
  return (await db.outbox.where('record_id').equals(recordId).filter(isOpen).count()) > 0
}

/** Stores the server's copy of a hazard; what the phone still has to send stays applied on top. */
export async function storeServerHazard(db: OfflineDb, data: Json, now: string): Promise<void> {
  const id = str(data.id)
  if (!id) return
  const copy = plain(data)
  if (await hasUnsynced(db, id)) {
    const existing = await db.hazards.get(id)
    if (existing) {
      await db.hazards.put({ ...existing, server: copy })
      return
    }
  }
  // A write's answer is the hazard without its detail (events, rectifications…): keep what the phone
  // held for those until the next pull brings the full detail, so the detail screen can still render.
  const held = (await db.hazards.get(id))?.data ?? {}
  const merged = { ...held, ...copy }
  await db.hazards.put({ id, data: merged, pending: 0, updated_at: now, server: merged })
}

// ---- answers in the API's shapes (used by the service worker when the network is gone) ----

const sortKey = (h: Json, key: string) => String(h[key] ?? '')

export async function listLocalHazards(db: OfflineDb, query: URLSearchParams): Promise<{ items: Json[]; next_cursor: null }> {
  const me = await getMeta<LocalUser>(db, 'me')
  const statuses = (query.get('status') ?? '').split(',').filter(Boolean)
  const all = (await db.hazards.toArray()).map((h: LocalHazard) => h.data)
  const items = all.filter((h) => {
    if (statuses.length && !statuses.includes(String(h.status))) return false
    if (query.get('mine') === 'true' && h.assignee_id !== me?.id) return false
    for (const key of ['reporter_id', 'assignee_id', 'department_id', 'grade', 'category', 'code']) {
      const want = query.get(key)
      if (want && String(h[key] ?? '') !== want) return false
    }
    if (query.get('overdue') === 'true' && h.overdue !== true) return false
    return true
  })
  if (query.get('sort') === 'due_at') items.sort((a, b) => sortKey(a, 'due_at').localeCompare(sortKey(b, 'due_at')))
  else items.sort((a, b) => sortKey(b, 'reported_at').localeCompare(sortKey(a, 'reported_at')))
  const limit = Number(query.get('limit') ?? 50) || 50
  // The local view is one page: the phone holds what it needs, not the whole ledger.
  return { items: items.slice(0, limit), next_cursor: null }
}

export async function getLocalHazard(db: OfflineDb, id: string): Promise<Json | undefined> {
  return (await db.hazards.get(id))?.data
}
