// The hazards waiting for me: assigned to me and not yet submitted (accept, rectify, rework) and, for
// safety officers, rectifications awaiting verification that are not my own. The home screen's tasks,
// its 我的隐患 entry and the tab badge all read this; concurrent callers share one request per list.
import { listHazards, type Hazard, type HazardListQuery } from '@/lib/api/hazards'
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

/**
 * The lists behind the counts, exactly as 我的隐患's tabs show them: a count and its tab must not differ.
 * 待验收 asks the server for what the caller may verify (`to_verify`: submitted, not by them), so paging
 * and the count agree — filtering the page on the phone made the count smaller than the list.
 */
export const WAITING_QUERIES = {
  mine: { mine: true, status: ['assigned', 'accepted', 'rework'], sort: 'due_at', limit: WAITING_LIMIT },
  verify: { to_verify: true, sort: 'due_at', limit: WAITING_LIMIT },
} as const satisfies Record<'mine' | 'verify', HazardListQuery>

export type WaitingTab = 'todo' | 'verify' | 'reported'

/** The list of a 我的隐患 tab (`me`: the signed-in user's id, for what I reported). */
export function tabQuery(tab: WaitingTab, me: string): HazardListQuery {
  if (tab === 'todo') return WAITING_QUERIES.mine
  if (tab === 'verify') return WAITING_QUERIES.verify
  return { reporter_id: me, limit: 30 }
}

let inflight: Promise<Waiting> | null = null

async function fetchWaiting(): Promise<Waiting> {
  const session = useSessionStore()
  await session.ensureLoaded()
  const me = session.me
  if (!me) return { mine: [], verify: [], moreMine: false, moreVerify: false }
  const mine = listHazards(WAITING_QUERIES.mine)
  const verify = me.permissions?.includes('hazards.verify') ? listHazards(WAITING_QUERIES.verify) : null
  const [m, v] = await Promise.all([mine, verify])
  return { mine: m.items, verify: v ? v.items : [], moreMine: !!m.next_cursor, moreVerify: !!v?.next_cursor }
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
