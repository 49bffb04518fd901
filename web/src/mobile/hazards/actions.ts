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
import { newId } from '@/lib/hazards/ids'
import * as offline from '@/lib/offline/hazard-actions'

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

export function reportHazard(mutationId: string, payload: CreatePayload): Promise<Hazard> {
  return offline.queueReport(mutationId, payload)
}

export function accept(mutationId: string, payload: AcceptPayload): Promise<Hazard> {
  return offline.queueAccept(mutationId, payload)
}

export function rectify(mutationId: string, payload: RectifyPayload): Promise<Hazard> {
  return offline.queueRectify(mutationId, payload)
}

export function verify(mutationId: string, payload: VerifyPayload): Promise<Hazard> {
  return offline.queueVerify(mutationId, payload)
}

export function askExtension(mutationId: string, payload: ExtensionPayload): Promise<HazardExtension> {
  return offline.queueExtension(mutationId, payload)
}
