// The hazard feature's offline data (src/lib/offline/registry.ts): hazards are records of kind `hazard`
// in the phone's local view; its outbox types (hazard.create, .accept, .rectify, .verify, .extension)
// update that view at once, the way the server will; the change feed's `hazard`, `hazard_removed` and
// `hazard_settings` entries are stored here; and GET /hazards, /hazards/{id}, /hazards/settings are
// answered from the phone when the network is gone. Registered when this module loads (the outbox, the
// engine and the service worker import it through src/mobile/offline-features.ts).
import type { OfflineDb, OutboxMutation } from '../../lib/offline/db'
import { getMeta, setMeta } from '../../lib/offline/db'
import { getLocalRecord, hasUnsynced, listLocalRecords, storeServerRecord } from '../../lib/offline/localview'
import { registerOfflineFeature, type Json, type LocalUser, type MutationAdapter, type OfflineFeature } from '../../lib/offline/registry'

export const HAZARD = 'hazard'
/** Where the phone keeps GET /hazards/settings (grades, deadlines, required evidence). */
export const SETTINGS_KEY = 'hazard_settings'

type Settings = { grades?: Array<{ grade: string; deadline_min: number }> }

const isHazard = (r: unknown): r is Json =>
  !!r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string' && typeof (r as { status?: unknown }).status === 'string' && 'grade' in r

/** The hazard as the phone shows it right after reporting, before the server has seen it. */
export function optimisticHazard(m: OutboxMutation, me: LocalUser | undefined, settings?: Settings): Json {
  const p = m.payload
  const id = typeof p.id === 'string' ? p.id : m.id
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
    // Only the server says what may be done next (actions); until it answers, nothing.
    actions: [],
  }
}

/**
 * What a mutation does to the hazard it is about, as far as the phone can tell without the server. The
 * actions the server offered no longer hold after a transition: none until the server answers.
 */
export function applyToHazard(data: Json, m: OutboxMutation): Json {
  const next: Json = { ...data, updated_at: m.created_at, actions: [] }
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

/** The values the phone displayed, so a stale offline action is refused rather than applied (docs/sync.md). */
export function conflictGuards(type: string, payload: Json, h: Json | undefined): Json {
  if (!h) return payload
  const out = { ...payload }
  if (type !== 'hazard.verify' && out.assignment_no === undefined && typeof h.assignment_no === 'number' && h.assignment_no > 0) out.assignment_no = h.assignment_no
  if (type === 'hazard.verify' && out.round === undefined && Array.isArray(h.rectifications)) {
    const rounds = (h.rectifications as Array<{ round?: unknown }>).map((r) => r.round).filter((r): r is number => typeof r === 'number')
    if (rounds.length) out.round = Math.max(...rounds)
  }
  return out
}

// ---- answers in the API's shapes (offline reads) ----

const sortKey = (h: Json, key: string) => String(h[key] ?? '')

export async function listLocalHazards(db: OfflineDb, query: URLSearchParams): Promise<{ items: Json[]; next_cursor: null }> {
  const me = await getMeta<LocalUser>(db, 'me')
  const statuses = (query.get('status') ?? '').split(',').filter(Boolean)
  const all = await listLocalRecords(db, HAZARD)
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

const transition = (type: string): MutationAdapter => ({
  type,
  kind: HAZARD,
  recordField: 'hazard_id',
  apply: (current, m) => (current ? applyToHazard(current, m) : undefined),
  guard: (payload, current) => conflictGuards(type, payload, current),
})

export const hazardsOffline: OfflineFeature = {
  name: 'hazards',
  records: [{ kind: HAZARD, isRecord: isHazard, legacyStore: 'hazards' }],
  mutations: [
    {
      type: 'hazard.create',
      kind: HAZARD,
      creates: true,
      apply: async (_current, m, ctx) => optimisticHazard(m, ctx.me, await ctx.meta<Settings>(SETTINGS_KEY)),
    },
    transition('hazard.accept'),
    transition('hazard.rectify'),
    transition('hazard.verify'),
    transition('hazard.extension'),
  ],
  changes: [
    { type: 'hazard', apply: async (c, ctx) => (c.data && typeof c.data === 'object' ? ctx.storeServer(HAZARD, c.data as Json) : undefined) },
    { type: 'hazard_removed', apply: async (c, ctx) => (typeof c.id === 'string' ? ctx.remove(HAZARD, c.id) : undefined) },
    { type: 'hazard_settings', apply: (c, ctx) => ctx.setMeta(SETTINGS_KEY, c.data) },
  ],
  reads: [
    {
      path: /^\/api\/v1\/hazards\/settings$/,
      read: (db) => getMeta(db, SETTINGS_KEY),
      remember: (db, _m, body) => setMeta(db, SETTINGS_KEY, body),
    },
    {
      path: /^\/api\/v1\/hazards\/([0-9a-f-]{36})$/i,
      read: (db, m) => getLocalRecord(db, HAZARD, m[1]!),
      remember: async (db, m, body) => {
        if (!isHazard(body) || (await hasUnsynced(db, m[1]!))) return
        await db.transaction('rw', db.records, db.outbox, () => storeServerRecord(db, HAZARD, body, new Date().toISOString()))
      },
    },
    { path: /^\/api\/v1\/hazards$/, read: (db, _m, url) => listLocalHazards(db, url.searchParams) },
  ],
  userMeta: [SETTINGS_KEY],
}

registerOfflineFeature(hazardsOffline)
