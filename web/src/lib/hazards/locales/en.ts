import type { LocaleShape } from '../../i18n/types'
import type zh from './zh-CN'

const en: LocaleShape<typeof zh> = {
  hazard: {
    status: {
      reported: 'To assign',
      assigned: 'To accept',
      accepted: 'Being fixed',
      submitted: 'To verify',
      rework: 'Rework',
      closed: 'Verified',
      archived: 'Archived',
      unknown: 'Unknown status',
    },
    grade: {
      red: 'Red · major',
      yellow: 'Yellow · serious',
      blue: 'Blue · general',
      unknown: 'Unknown grade',
    },
    gradeShort: {
      red: 'Red',
      yellow: 'Yellow',
      blue: 'Blue',
    },
    gradeMeaning: {
      red: 'Major: could injure or kill, act now',
      yellow: 'Serious: must be fixed today',
      blue: 'General: fix within the deadline',
    },
    category: {
      electrical: 'Electrical',
      hotWork: 'Hot work',
      lifting: 'Lifting',
      height: 'Work at height',
      fire: 'Fire',
      machinery: 'Machinery',
      chemical: 'Chemicals',
      equipment: 'Equipment',
      behaviour: 'Unsafe act',
      other: 'Other',
    },
    evidence: {
      before_photo: 'Photo before',
      after_photo: 'Photo after',
      param_before_screenshot: 'Settings screenshot before',
      param_after_screenshot: 'Settings screenshot after',
      part_label_photo: 'Photo of the new part’s label',
      operator_video: 'Operator confirmation video',
      gps_position: 'Location',
      leader_signature: 'Team leader signature',
    },
    evidenceProblem: {
      file_not_found: 'The file was not uploaded',
      not_a_video: 'Not a video',
      video_too_short: 'The video is too short',
      video_duration_unknown: 'The video length cannot be read',
      not_an_image: 'Not an image',
    },
    event: {
      reported: 'Reported',
      assigned: 'Assigned',
      reassigned: 'Reassigned',
      accepted: 'Accepted',
      submitted: 'Rectification submitted',
      rework: 'Verification failed: rework',
      closed: 'Verified and closed',
      archived: 'Archived',
      escalated: 'Escalated (late)',
      extension_requested: 'Extension requested',
      extension_approved: 'Extension approved',
      extension_refused: 'Extension refused',
      work_order_closed: 'Work order closed',
      unknown: 'Other action',
    },
    countdown: {
      left: {
        dh: '{d} d {h} h left',
        hm: '{h} h {m} min left',
        ms: '{m} min {s} s left',
      },
      overdue: {
        dh: 'Overdue {d} d {h} h',
        hm: 'Overdue {h} h {m} min',
        ms: 'Overdue {m} min {s} s',
      },
    },
  },
}
export default en
