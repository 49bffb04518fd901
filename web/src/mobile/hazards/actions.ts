// Every hazard write the phone makes goes through here. Each function takes a client-generated
// mutation id and a payload that is exactly the HTTP body (plus `hazard_id`, which HTTP carries in the
// path). The offline outbox (issue 5) replaces these bodies with outbox mutations of the same types
// (`hazard.create`, `hazard.accept`, `hazard.rectify`, `hazard.verify`, `hazard.extension`) and the same
// payloads, so the screens do not change.
import {
  acceptHazard,
  createHazard,
  rectifyHazard,
  requestExtension,
  verifyHazard,
  type ExtensionRequestBody,
  type Hazard,
  type HazardCreateBody,
  type HazardExtension,
  type RectifyBody,
  type VerifyBody,
} from '@/lib/api/hazards'
import { newId } from '@/lib/hazards/ids'

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

function body<P extends { hazard_id: string }>(payload: P): Omit<P, 'hazard_id'> {
  const { hazard_id: _, ...rest } = payload
  return rest
}

export function reportHazard(mutationId: string, payload: CreatePayload): Promise<Hazard> {
  void mutationId
  return createHazard(payload)
}

export function accept(mutationId: string, payload: AcceptPayload): Promise<Hazard> {
  void mutationId
  return acceptHazard(payload.hazard_id)
}

export function rectify(mutationId: string, payload: RectifyPayload): Promise<Hazard> {
  void mutationId
  return rectifyHazard(payload.hazard_id, body(payload))
}

export function verify(mutationId: string, payload: VerifyPayload): Promise<Hazard> {
  void mutationId
  return verifyHazard(payload.hazard_id, body(payload))
}

export function askExtension(mutationId: string, payload: ExtensionPayload): Promise<HazardExtension> {
  void mutationId
  return requestExtension(payload.hazard_id, body(payload))
}
