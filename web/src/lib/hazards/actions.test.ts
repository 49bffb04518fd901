import { describe, expect, it } from 'vitest'
import { allowedActions } from './actions'

describe('allowedActions', () => {
  it('is what the server listed, nothing more', () => {
    const a = allowedActions({ actions: ['accept', 'request_extension'] })
    expect([...a]).toEqual(['accept', 'request_extension'])
    expect(a.has('rectify')).toBe(false)
  })
  it('offers nothing for a hazard without actions (older server, or changed offline) or a malformed list', () => {
    expect(allowedActions({}).size).toBe(0)
    expect(allowedActions(null).size).toBe(0)
    expect(allowedActions({ actions: 'verify' }).size).toBe(0)
    expect([...allowedActions({ actions: ['verify', 3, null] })]).toEqual(['verify'])
  })
})
