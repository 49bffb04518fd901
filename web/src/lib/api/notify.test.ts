import { describe, expect, it } from 'vitest'
import { SseParser, backoffMs } from './notify'

describe('SseParser', () => {
  it('parses the server frames: ready, a ping comment, a notification', () => {
    const p = new SseParser()
    const frames = p.push('event: ready\ndata: {"unread_count":3}\n\n: ping\n\nevent: notification\ndata: {"id":"n1"}\n\n')
    expect(frames).toEqual([
      { event: 'ready', data: '{"unread_count":3}' },
      { event: 'notification', data: '{"id":"n1"}' },
    ])
  })
  it('joins a frame split across chunks, also inside a CRLF', () => {
    const p = new SseParser()
    expect(p.push('event: notif')).toEqual([])
    expect(p.push('ication\r')).toEqual([])
    expect(p.push('\ndata: {"a"')).toEqual([])
    expect(p.push(':1}\r\n\r\n')).toEqual([{ event: 'notification', data: '{"a":1}' }])
  })
  it('joins data lines with newlines, keeps the id, defaults the event to message', () => {
    const p = new SseParser()
    expect(p.push('id: 7\ndata: one\ndata:two\ndata\n\n')).toEqual([{ event: 'message', data: 'one\ntwo\n', id: '7' }])
  })
  it('does not dispatch a frame without data and resets the event name', () => {
    const p = new SseParser()
    expect(p.push('event: ready\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }])
  })
  it('accepts lone CR line ends', () => {
    const p = new SseParser()
    expect(p.push('event: a\rdata: b\r\r')).toEqual([{ event: 'a', data: 'b' }])
  })
})

describe('backoffMs', () => {
  it('doubles from one second and stops at thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })
})
