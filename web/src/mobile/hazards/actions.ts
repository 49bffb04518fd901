// Every hazard write the phone makes goes through here. Each function takes a client-generated
// mutation id and a payload that is exactly the HTTP body (plus `hazard_id`, which HTTP carries in the
// path). Each is an outbox mutation (issue 5, src/lib/offline) of the same type (`hazard.create`,
// `hazard.accept`, `hazard.rectify`, `hazard.verify`, `hazard.extension`) with that payload: sent at once
// when online (the screen gets the server's answer or its refusal), kept and sent later when offline
// (the screen gets the phone's copy, marked 等待同步).
import {
  type ExtensionRequestBody,
  type Hazard,
  type HazardCreateBody,
  type HazardExtension,
  type RectifyBody,
  type VerifyBody,
} from '@/lib/api/hazards'
import { newId } from '@/lib/util/ids'
import { getMeta, offlineDb } from '@/lib/offline/db'
import { getLocalRecord } from '@/lib/offline/localview'
import type { LocalUser } from '@/lib/offline/registry'
import { queueWrite } from '@/lib/offline/write'
import { HAZARD } from './offline'

export type HazardMutationType = 'hazard.create' | 'hazard.accept' | 'hazard.rectify' | 'hazard.verify' | 'hazard.extension'

/** `POST /hazards` body; `id` is required here so that a re-send is idempotent. */
export type CreatePayload = HazardCreateBody & { id: string }
export interface AcceptPayload {
  hazard_id: string
}
export type RectifyPayload = RectifyBody & { hazard_id: string }
export type VerifyPayload = VerifyBody & { hazard_id: string }
export type ExtensionPayload = ExtensionRequestBody & { hazard_id: string }

export interface HazardMutation<P> {
  id: string
  type: HazardMutationType
  payload: P
}

/** A new mutation id (one per user action; a retry of the same action reuses it). */
export const newMutationId = newId

/** Offline: the local view's copy (the optimistic hazard, or the hazard with the action applied). */
async function localHazard(recordId: string): Promise<Hazard> {
  const h = await getLocalRecord(offlineDb(), HAZARD, recordId)
  if (!h) throw new Error(`hazard ${recordId} is not on this phone`)
  return h as unknown as Hazard
}

export function reportHazard(mutationId: string, payload: CreatePayload): Promise<Hazard> {
  return queueWrite(mutationId, 'hazard.create', payload, localHazard)
}

export function accept(mutationId: string, payload: AcceptPayload): Promise<Hazard> {
  return queueWrite(mutationId, 'hazard.accept', payload, localHazard)
}

export function rectify(mutationId: string, payload: RectifyPayload): Promise<Hazard> {
  return queueWrite(mutationId, 'hazard.rectify', payload, localHazard)
}

export function verify(mutationId: string, payload: VerifyPayload): Promise<Hazard> {
  return queueWrite(mutationId, 'hazard.verify', payload, localHazard)
}

export function askExtension(mutationId: string, payload: ExtensionPayload): Promise<HazardExtension> {
  return queueWrite(mutationId, 'hazard.extension', payload, async (recordId, id) => {
    const me = await getMeta<LocalUser>(offlineDb(), 'me')
    const h = await getLocalRecord(offlineDb(), HAZARD, recordId)
    const now = new Date().toISOString()
    return {
      id,
      hazard_id: recordId,
      requested_by: me?.id ?? '',
      requested_at: now,
      reason: payload.reason ?? '',
      old_due_at: String(h?.due_at ?? now),
      new_due_at: payload.new_due_at ?? now,
      approver_id: null,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      comment: null,
    }
  })
}
