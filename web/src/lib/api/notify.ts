// Notification endpoints: outbound channel settings and their test message, the outbox delivery log,
// the caller's in-app notifications and their live Server-Sent Events stream (docs/notifications.md).
import { api } from './index'
import { isExpired } from '../auth/token'
import type { Page } from './types'

// ---- settings ----

export interface NotifySettings {
  sms: { url: string } | null
  wecom: { webhook: string } | null
  /** `secret` comes back masked (`SECa****wxyz`); sending the mask back keeps the stored one. */
  dingtalk: { webhook: string; secret: string; signed?: boolean } | null
}

export type NotifyChannel = 'sms' | 'wecom' | 'dingtalk' | 'app'

export const getNotifySettings = () => api.get<NotifySettings>('/settings/notify')
export const putNotifySettings = (body: NotifySettings) => api.put<NotifySettings>('/settings/notify', body)
/** Queues a test message through one channel; 202 `{id, channel, status:'pending'}` (the outbox row). */
export const sendTestMessage = (channel: NotifyChannel, to?: string) =>
  api.post<{ id: string; channel: NotifyChannel; status: OutboxStatus }>('/settings/notify/test', to ? { channel, to } : { channel })

// ---- delivery log ----

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead'

export interface OutboxAttempt {
  at: string
  http_status: number | null
  error: string
  response: string
  duration_ms: number
}

export interface OutboxMessage {
  id: string
  channel: NotifyChannel
  status: OutboxStatus
  to_user_id: string | null
  to_mobile: string
  title: string
  text: string
  ref_type: string
  ref_id: string
  idempotency_key: string
  attempts: number
  next_attempt_at: string | null
  last_error: string
  created_at: string
  updated_at: string
  sent_at: string | null
  attempt_log: OutboxAttempt[]
}

export interface OutboxQuery {
  status?: OutboxStatus | ''
  channel?: NotifyChannel | ''
  ref_id?: string
  limit?: number
  cursor?: string | null
}

export const listOutbox = (query: OutboxQuery = {}) =>
  api.get<Page<OutboxMessage>>('/outbox', { ...query, cursor: query.cursor ?? undefined })
export const getOutbox = (id: string) => api.get<OutboxMessage>(`/outbox/${id}`)
export const retryOutbox = (id: string) => api.post<OutboxMessage>(`/outbox/${id}/retry`)

// ---- in-app notifications ----

export interface AppNotification {
  id: string
  title: string
  text: string
  ref_type: string
  ref_id: string
  created_at: string
  read_at: string | null
}

export interface NotificationPage extends Page<AppNotification> {
  unread_count: number
}

export const listNotifications = (query: { unread?: boolean; limit?: number; cursor?: string | null } = {}) =>
  api.get<NotificationPage>('/notifications', { ...query, cursor: query.cursor ?? undefined })
export const markNotificationRead = (id: string) => api.post<AppNotification>(`/notifications/${id}/read`)
export const markAllNotificationsRead = () => api.post<{ updated: number }>('/notifications/read-all')

// ---- Server-Sent Events ----

export interface SseEvent {
  /** `message` when the frame names no event. */
  event: string
  data: string
  id?: string
}

/**
 * Incremental parser of a text/event-stream (the WHATWG rules that matter here): lines end in \n,
 * \r\n or \r; a blank line dispatches the frame; `:` lines are comments (pings); `data` lines join
 * with \n; one space after the colon is dropped; a frame with no data is not dispatched.
 */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined
  private pendingCr = false

  /** Feeds a chunk of decoded text; returns the frames it completed. */
  push(chunk: string): SseEvent[] {
    const out: SseEvent[] = []
    let text = chunk
    // A \r at the end of the previous chunk may be the first half of \r\n.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1)
    this.pendingCr = false
    this.buffer += text
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      if (!match) break
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCr = true
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      const frame = this.line(line)
      if (frame) out.push(frame)
    }
    return out
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      const frame = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) } : null
      this.event = ''
      this.data = []
      return frame
    }
    if (line.startsWith(':')) return null
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.event = value
    else if (field === 'data') this.data.push(value)
    else if (field === 'id' && !value.includes('\0')) this.id = value
    return null
  }
}

/** Delay before reconnect attempt `n` (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt))
}

export interface NotificationStreamHandlers {
  onReady?: (unreadCount: number) => void
  onNotification: (n: AppNotification) => void
  /** Connection state, for a status dot. */
  onState?: (state: 'connecting' | 'open' | 'closed') => void
}

/**
 * Reads `/notifications/stream` with fetch (EventSource cannot send the bearer token) and reconnects
 * with backoff until stopped. Stops for good when there is no usable token (the session is over).
 */
export function openNotificationStream(handlers: NotificationStreamHandlers, options: { baseUrl?: string; fetch?: typeof fetch } = {}): () => void {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args))
  const url = `${options.baseUrl ?? '/api/v1'}/notifications/stream`
  let stopped = false
  let controller: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let attempt = 0

  const schedule = () => {
    if (stopped) return
    handlers.onState?.('closed')
    timer = setTimeout(connect, backoffMs(attempt++))
  }

  async function connect() {
    timer = null
    if (stopped) return
    const token = api.tokens.get()
    if (!token || isExpired(token, Date.now())) {
      handlers.onState?.('closed')
      return
    }
    handlers.onState?.('connecting')
    controller = new AbortController()
    try {
      const response = await doFetch(url, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token.token}` },
        signal: controller.signal,
        cache: 'no-store',
      })
      if (response.status === 401 || response.status === 403) {
        handlers.onState?.('closed')
        return
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
      handlers.onState?.('open')
      const parser = new SseParser()
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        for (const frame of parser.push(value)) {
          attempt = 0 // a frame arrived: the connection works
          dispatch(frame)
        }
      }
    } catch {
      // network error or aborted: reconnect below unless stopped
    }
    schedule()
  }

  function dispatch(frame: SseEvent) {
    try {
      const data = JSON.parse(frame.data) as unknown
      if (frame.event === 'ready') handlers.onReady?.((data as { unread_count?: number }).unread_count ?? 0)
      else if (frame.event === 'notification') handlers.onNotification(data as AppNotification)
    } catch {
      // a frame that is not JSON is ignored
    }
  }

  void connect()
  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
    controller?.abort()
    handlers.onState?.('closed')
  }
}
