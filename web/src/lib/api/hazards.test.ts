import { describe, expect, it } from 'vitest'
import { evidenceErrorExtras } from './hazards'

describe('evidenceErrorExtras', () => {
  it('reads missing kinds and problems from a 422 evidence_missing body', () => {
    const body = {
      code: 'evidence_missing',
      message: '整改证据不全 / Required evidence is missing',
      missing: ['operator_video', 'gps_position'],
      problems: [{ kind: 'operator_video', file_id: 'ab', code: 'video_too_short', message: '视频过短 / too short' }],
    }
    expect(evidenceErrorExtras(body)).toEqual({
      missing: ['operator_video', 'gps_position'],
      problems: [{ kind: 'operator_video', file_id: 'ab', code: 'video_too_short', message: '视频过短 / too short' }],
    })
  })

  it('is empty for other errors and ignores malformed entries', () => {
    expect(evidenceErrorExtras({ code: 'forbidden', message: 'x' })).toEqual({ missing: [], problems: [] })
    expect(evidenceErrorExtras({ missing: ['a', 3, null], problems: [null, 'x', { code: 'y' }] })).toEqual({ missing: ['a'], problems: [] })
  })
})
