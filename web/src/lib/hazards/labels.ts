// Shared hazard vocabulary for both apps: i18n keys for statuses, grades, categories, evidence kinds
// and events, and the colours that go with them. Keys are built here and translated by the caller
// (`t(statusKey(s))`); the texts live in ./locales, which each app merges into its messages.
import type { EvidenceKind, Grade, HazardEventType, HazardStatus } from '../api/hazards'

const KNOWN_STATUSES = new Set<string>(['reported', 'assigned', 'accepted', 'submitted', 'rework', 'closed', 'archived'])
const KNOWN_GRADES = new Set<string>(['red', 'yellow', 'blue'])

export const statusKey = (status: HazardStatus | string) =>
  KNOWN_STATUSES.has(status) ? `hazard.status.${status}` : 'hazard.status.unknown'
export const gradeKey = (grade: Grade | string) => (KNOWN_GRADES.has(grade) ? `hazard.grade.${grade}` : 'hazard.grade.unknown')
/** One line saying what the grade means (重大 / 较大 / 一般 and its deadline). */
export const gradeMeaningKey = (grade: Grade) => `hazard.gradeMeaning.${grade}`

/** High-contrast colours: background and the text colour readable on it. */
export const GRADE_COLORS: Record<Grade, { bg: string; fg: string; border: string }> = {
  red: { bg: '#c4161c', fg: '#ffffff', border: '#8f0f14' },
  yellow: { bg: '#ffc400', fg: '#111111', border: '#a37a00' },
  blue: { bg: '#1565c0', fg: '#ffffff', border: '#0d4a8f' },
}

export type Tone = 'danger' | 'warning' | 'primary' | 'success' | 'default'
export const STATUS_TONES: Record<HazardStatus, Tone> = {
  reported: 'default',
  assigned: 'warning',
  accepted: 'primary',
  submitted: 'primary',
  rework: 'danger',
  closed: 'success',
  archived: 'default',
}
export const TONE_COLORS: Record<Tone, { bg: string; fg: string }> = {
  danger: { bg: '#fde8e8', fg: '#9b0d12' },
  warning: { bg: '#fff3d6', fg: '#7a4d00' },
  primary: { bg: '#e3eefc', fg: '#0a3d80' },
  success: { bg: '#e2f4e6', fg: '#0b5a1d' },
  default: { bg: '#ececec', fg: '#333333' },
}
export const statusTone = (status: HazardStatus | string): Tone => STATUS_TONES[status as HazardStatus] ?? 'default'

/**
 * Categories offered when reporting. `value` is what is stored (the plant's Chinese term, as the demo
 * history and the provincial exports use it); the label comes from `hazard.category.<key>`.
 */
export const CATEGORIES = [
  { key: 'electrical', value: '电气' },
  { key: 'hotWork', value: '动火' },
  { key: 'lifting', value: '起重' },
  { key: 'height', value: '高处' },
  { key: 'fire', value: '消防' },
  { key: 'machinery', value: '机械' },
  { key: 'chemical', value: '化学品' },
  { key: 'equipment', value: '设备' },
  { key: 'behaviour', value: '安全' },
  { key: 'other', value: '其他' },
] as const
export type CategoryKey = (typeof CATEGORIES)[number]['key']

/** The i18n key of a stored category value, or null for a category we have no label for (show it as is). */
export function categoryKey(value: string): string | null {
  const c = CATEGORIES.find((x) => x.value === value)
  return c ? `hazard.category.${c.key}` : null
}
export const categoryValue = (key: CategoryKey) => CATEGORIES.find((c) => c.key === key)!.value

const KNOWN_KINDS = new Set<string>([
  'before_photo',
  'after_photo',
  'param_before_screenshot',
  'param_after_screenshot',
  'part_label_photo',
  'operator_video',
  'gps_position',
  'leader_signature',
])
/** Label key of an evidence kind; null for a tenant's own kind (show the kind itself). */
export const evidenceKey = (kind: EvidenceKind) => (KNOWN_KINDS.has(kind) ? `hazard.evidence.${kind}` : null)
/** How to capture a kind, mirroring the server's rule (hazard_rules MediaFor and the pseudo-kinds). */
export type EvidenceMedia = 'video' | 'image' | 'file' | 'gps' | 'signature'
export function evidenceMedia(kind: EvidenceKind): EvidenceMedia {
  if (kind === 'gps_position') return 'gps'
  if (kind === 'leader_signature') return 'signature'
  if (kind.includes('video')) return 'video'
  if (kind.includes('photo') || kind.includes('screenshot')) return 'image'
  return 'file'
}
/** Kinds satisfied by uploaded files (not by the position or the signature). */
export const isFileKind = (kind: EvidenceKind) => {
  const m = evidenceMedia(kind)
  return m !== 'gps' && m !== 'signature'
}

const KNOWN_EVENTS = new Set<string>([
  'reported',
  'assigned',
  'reassigned',
  'accepted',
  'submitted',
  'rework',
  'closed',
  'archived',
  'escalated',
  'extension_requested',
  'extension_approved',
  'extension_refused',
  'work_order_closed',
])
export const eventKey = (type: HazardEventType) => (KNOWN_EVENTS.has(type) ? `hazard.event.${type}` : 'hazard.event.unknown')

/** Problem codes of a 422 evidence answer (file_not_found, video_too_short…). */
export const evidenceProblemKey = (code: string) => `hazard.evidenceProblem.${code}`
