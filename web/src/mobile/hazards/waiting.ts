// The hazards waiting for me: assigned to me and not yet submitted (accept, rectify, rework) and, for
// safety officers, rectifications awaiting verification that are not my own. The home screen's tasks,
// its 我的隐患 entry and the tab badge all read this; concurrent callers share one request per list.
import { listHazards, type Hazard } from '@/lib/api/hazards'
import { useSessionStore } from '@/lib/auth/session'

export const WAITING_LIMIT = 50

export interface Waiting {
  /** Assigned to me: assigned, accepted or rework, earliest deadline first. */
  mine: Hazard[]
  /** Submitted by someone else, waiting for a verifier (empty without hazards.verify). */
  verify: Hazard[]
  /** The list had more rows than WAITING_LIMIT (its count is then "50+"). */
  moreMine: boolean
  moreVerify: boolean
}

let inflight: Promise<Waiting> | null = null

async function fetchWaiting(): Promise<Waiting> {
  const session = useSessionStore()
  await session.ensureLoaded()
  const me = session.me
  if (!me) return { mine: [], verify: [], moreMine: false, moreVerify: false }
  const mine = listHazards({ mine: true, status: ['assigned', 'accepted', 'rework'], sort: 'due_at', limit: WAITING_LIMIT })
  const verify = me.permissions?.includes('hazards.verify') ? listHazards({ status: 'submitted', sort: 'due_at', limit: WAITING_LIMIT }) : null
  const [m, v] = await Promise.all([mine, verify])
  return {
    mine: m.items.filter((h) => h.assignee_id === me.id),
    // Nobody verifies their own rectification.
    verify: v ? v.items.filter((h) => h.assignee_id !== me.id) : [],
    moreMine: !!m.next_cursor,
    moreVerify: !!v?.next_cursor,
  }
}

/** One request at a time: callers that ask while one is running get its answer. */
export function loadWaiting(): Promise<Waiting> {
  if (!inflight) {
    inflight = fetchWaiting().finally(() => {
      inflight = null
    })
  }
  return inflight
}

/** "7", or "50+" when the list behind the count was cut at the limit (there are more). */
export function countText(n: number, more: boolean): string {
  return more ? `${n}+` : String(n)
}
