// Hazard closed-loop endpoints (docs/hazards.md): report, list, read, assign/reassign, accept, rectify,
// verify, extension requests, and the settings the phone reads. Times are RFC 3339 strings, ids UUIDs,
// file ids the SHA-256 of the stored file. Console-only endpoints (board, stats, metrics, work orders,
// settings PUT, owners) live in hazards-admin.ts.
import { api } from './index'
import type { Page } from './types'

export type Grade = 'red' | 'yellow' | 'blue'
export const GRADES: readonly Grade[] = ['red', 'yellow', 'blue']

export type HazardStatus = 'reported' | 'assigned' | 'accepted' | 'submitted' | 'rework' | 'closed' | 'archived'
export const HAZARD_STATUSES: readonly HazardStatus[] = [
  'reported',
  'assigned',
  'accepted',
  'submitted',
  'rework',
  'closed',
  'archived',
]
/** Rectification outstanding: the deadline runs (overdue is possible only in these). */
export const AWAITING_RECTIFICATION: readonly HazardStatus[] = ['reported', 'assigned', 'accepted', 'rework']
/** Not yet closed or archived. */
export const ACTIVE_STATUSES: readonly HazardStatus[] = ['reported', 'assigned', 'accepted', 'submitted', 'rework']

/** 0 即查即改 (fixed on the spot, closed at once) · 1 限期整改. */
export type ManageType = 0 | 1

/** Evidence kinds of the default rules; tenants may configure others ([a-z0-9_]). */
export type EvidenceKind =
  | 'before_photo'
  | 'after_photo'
  | 'param_before_screenshot'
  | 'param_after_screenshot'
  | 'part_label_photo'
  | 'operator_video'
  | 'gps_position'
  | 'leader_signature'
  | (string & {})

export interface GeoPosition {
  lat: number
  lng: number
  accuracy_m?: number | null
}

export interface HazardAcceptance {
  by: string
  at: string | null
  comment: string | null
}

export interface Hazard {
  id: string
  /** YH-2026-000123 */
  code: string
  status: HazardStatus
  /** The server's Chinese label, e.g. 待整改 (the UI uses its own locale labels). */
  status_label?: string
  grade: Grade
  grade_label?: string
  /** Provincial level: 1 重大 (red), 0 一般. */
  level: number
  title: string
  description: string
  category: string
  source: number
  manage_type: number
  hazard_type: number | null
  management_class: number | null
  occurrence_link: number | null
  /** 0 整改中 · 1 待验收 · 9 已验收 */
  provincial_state: number
  cost: number | null
  liable_person_id: string | null
  major_plan: unknown
  site_id: string | null
  department_id: string | null
  department_name: string | null
  team_id: string | null
  location: string
  position: GeoPosition | null
  asset_id: string | null
  area: string | null
  /** File ids (SHA-256) of the report's photos. */
  photos: string[]
  change_order_no: string | null
  reporter_id: string
  reporter_name: string | null
  assignee_id: string | null
  assignee_name: string | null
  assignment_no: number
  reported_at: string
  due_at: string
  original_due_at: string
  assigned_at: string | null
  accepted_at: string | null
  submitted_at: string | null
  closed_at: string | null
  archived_at: string | null
  overdue: boolean
  /** Seconds to the deadline when the answer was made (negative once overdue); null unless rectification is outstanding. */
  remaining_s: number | null
  acceptance: HazardAcceptance | null
  rework_rounds: number
  extension_count: number
  escalation_count: number
  pending_extension_id: string | null
  version: number
  updated_at: string
}

export type HazardEventType =
  | 'reported'
  | 'assigned'
  | 'reassigned'
  | 'accepted'
  | 'submitted'
  | 'rework'
  | 'closed'
  | 'archived'
  | 'escalated'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_refused'
  | 'work_order_closed'
  | (string & {})

export interface HazardEvent {
  seq: number
  type: HazardEventType
  at: string
  /** Absent for the system (escalations, archiving). */
  actor_id: string | null
  from_status: HazardStatus | null
  to_status: HazardStatus | null
  /** Event-specific details (reason, comment, assignee_id, escalation kind, notified users…). */
  data: Record<string, unknown>
}

export interface EvidenceItem {
  kind: EvidenceKind
  file_id: string
}

export interface HazardSignature {
  file_id: string
  signed_by: string | null
  signed_at: string | null
  content_sha256: string | null
}

export interface Rectification {
  id: string
  round: number
  submitted_by: string
  submitted_at: string
  note: string
  position: GeoPosition | null
  evidence: EvidenceItem[]
  signature: HazardSignature | null
  /** pass, fail; null while awaiting verification. */
  result: 'pass' | 'fail' | null
  verified_by: string | null
  verified_at: string | null
  verify_comment: string | null
}

export type ExtensionStatus = 'pending' | 'approved' | 'refused'

export interface HazardExtension {
  id: string
  hazard_id: string
  requested_by: string
  requested_at: string
  reason: string
  old_due_at: string
  new_due_at: string
  approver_id: string | null
  status: ExtensionStatus
  decided_by: string | null
  decided_at: string | null
  comment: string | null
}

export interface WorkOrder {
  id: string
  hazard_id: string
  hazard_code: string
  title: string
  reason: string
  owner_id: string
  cc_user_ids: string[]
  department_id: string | null
  status: 'open' | 'closed'
  opened_at: string
  closed_at: string | null
  closed_by: string | null
  resolution: string | null
}

/** A recorded voice note attached to the report (the fallback of dictation); its length measured by the server. */
export interface VoiceNote {
  file_id: string
  /** audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav … */
  content_type: string
  duration_s: number
  created_at: string
}

/** At most this long (seconds); longer recordings are refused with 422 voice_note_too_long. */
export const MAX_VOICE_NOTE_S = 120

/**
 * GET /hazards/{id}: the hazard with its history and what a rectification must carry. Every write
 * (create, assign, reassign, accept, rectify, verify) answers with this shape too.
 */
/**
 * What the caller may do to a hazard now, as the server's `actions` names it (computed by the same rules
 * that guard the transitions): the screens show exactly these buttons.
 */
export type HazardAction = 'assign' | 'reassign' | 'accept' | 'rectify' | 'verify' | 'request_extension' | 'decide_extension' | (string & {})

export interface HazardDetail extends Hazard {
  /**
   * The actions the caller may take now. Absent from servers before it existed (and from a hazard the
   * phone changed offline until the server answers): then no action is offered.
   */
  actions?: HazardAction[]
  events: HazardEvent[]
  rectifications: Rectification[]
  extensions: HazardExtension[]
  work_orders: WorkOrder[]
  required_evidence: EvidenceKind[]
  /** A kind containing "video" needs a video at least this long (seconds). */
  min_video_s: number
  /**
   * `{user id: name}` for everyone the detail mentions (event actors and assignees, submitters, signers,
   * verifiers, extension requesters and approvers, work-order owners), whatever the viewer's scope.
   * Absent from servers before eca4798: screens then fall back to looking people up.
   */
  people?: Record<string, string>
  /** The report's voice note, or null (absent from servers before it existed). */
  voice_note?: VoiceNote | null
}

// ---- requests ----

/** POST /hazards. Send a client `id` (crypto.randomUUID) so a re-send is idempotent (200, same hazard). */
export interface HazardCreateBody {
  id?: string
  title: string
  description?: string
  category?: string
  grade: Grade
  assignee_id?: string
  photos?: string[]
  position?: GeoPosition
  location?: string
  asset_id?: string
  area?: string
  change_order_no?: string
  source?: number
  manage_type?: ManageType
  hazard_type?: number
  management_class?: number
  occurrence_link?: number
  cost?: number
  liable_person_id?: string
  major_plan?: Record<string, unknown>
  /** Only with manage_type 0 (即查即改): the rectification's evidence, checked as for rectify. */
  evidence?: EvidenceItem[]
  signature_file_id?: string
  note?: string
  /** A recorded voice note (an uploaded audio file of at most MAX_VOICE_NOTE_S seconds). */
  voice_note_file_id?: string
}

export interface HazardListQuery {
  /** One or more statuses (sent comma-separated). */
  status?: HazardStatus | readonly HazardStatus[]
  grade?: Grade
  overdue?: boolean
  sort?: 'due_at' | 'reported_at'
  assignee_id?: string
  reporter_id?: string
  department_id?: string
  category?: string
  /** A code or its start ("YH-2026-0001"), or its number ("000123", "123"); any case. */
  code?: string
  /** Hazards I hold (assigned to me). */
  mine?: boolean
  /** Submitted and not by me: what I may verify (overrides status). */
  to_verify?: boolean
  limit?: number
  cursor?: string | null
}

export interface RectifyBody {
  evidence: EvidenceItem[]
  position?: GeoPosition
  signature_file_id?: string
  note?: string
}

export type VerifyResult = 'pass' | 'fail'
export interface VerifyBody {
  result: VerifyResult
  /** Required for fail (the rework reason). */
  comment?: string
}

export interface ExtensionRequestBody {
  reason: string
  /** RFC 3339 */
  new_due_at: string
}

export interface AssignBody {
  assignee_id: string
  reason?: string
}

export interface ReassignBody {
  assignee_id: string
  reason: string
}

/** Extras of the 422 evidence_missing / evidence_invalid error (ApiError.body). */
export interface EvidenceProblem {
  kind: string
  file_id: string
  /** file_not_found, not_a_video, video_too_short, video_duration_unknown, not_an_image */
  code: string
  message: string
}
export interface EvidenceErrorExtras {
  missing: EvidenceKind[]
  problems: EvidenceProblem[]
}

// ---- settings (read by the phone; edited in the console) ----

export interface GradeRule {
  grade: Grade
  deadline_min: number
  accept_escalation_min: number
  submit_escalation_min: number
  closure_target_pct: number
  on_the_spot_allowed: boolean
}

export interface EvidenceRule {
  grade: Grade
  /** "*" = any category of the grade; a category rule replaces it. */
  category: string
  kinds: EvidenceKind[]
}

export interface HazardSettings {
  grades: GradeRule[]
  evidence: EvidenceRule[]
  archive_after_days: number
  min_video_s: number
  repeat_window_days: number
  code_utc_offset_min: number
  deputy_gm_ids: string[]
}

// ---- endpoint functions ----

const path = (id: string) => `/hazards/${encodeURIComponent(id)}`

export const createHazard = (body: HazardCreateBody) => api.post<HazardDetail>('/hazards', body)

export const listHazards = (query: HazardListQuery = {}) => {
  const { status, cursor, ...rest } = query
  const statuses = typeof status === 'string' ? status : status?.join(',')
  return api.get<Page<Hazard>>('/hazards', {
    ...rest,
    ...(statuses ? { status: statuses } : {}),
    ...(cursor ? { cursor } : {}),
  })
}

export const getHazard = (id: string) => api.get<HazardDetail>(path(id))

export const assignHazard = (id: string, body: AssignBody) => api.post<HazardDetail>(`${path(id)}/assign`, body)
export const reassignHazard = (id: string, body: ReassignBody) => api.post<HazardDetail>(`${path(id)}/reassign`, body)
export const acceptHazard = (id: string) => api.post<HazardDetail>(`${path(id)}/accept`, {})
export const rectifyHazard = (id: string, body: RectifyBody) => api.post<HazardDetail>(`${path(id)}/rectify`, body)
export const verifyHazard = (id: string, body: VerifyBody) => api.post<HazardDetail>(`${path(id)}/verify`, body)
export const requestExtension = (id: string, body: ExtensionRequestBody) =>
  api.post<HazardExtension>(`${path(id)}/extensions`, body)

/** GET /hazards/settings: deadlines per grade and the evidence rules (everyone who reads hazards). */
export const fetchHazardSettings = () => api.get<HazardSettings>('/hazards/settings')

/** Reads the extras of a 422 evidence_missing / evidence_invalid answer (empty lists otherwise). */
export function evidenceErrorExtras(body: Record<string, unknown>): EvidenceErrorExtras {
  const missing = Array.isArray(body.missing) ? body.missing.filter((k): k is string => typeof k === 'string') : []
  const problems = Array.isArray(body.problems)
    ? body.problems.filter((p): p is EvidenceProblem => !!p && typeof p === 'object' && typeof (p as EvidenceProblem).kind === 'string')
    : []
  return { missing, problems }
}
