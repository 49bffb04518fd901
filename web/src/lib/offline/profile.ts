// The signed-in user's profile on the phone: the /me answer (name, roles, permissions, team) kept in
// IndexedDB under a hash of the session token, so the app opens with the right name and permissions
// when the network is gone, and a different session on the same phone never reads someone else's.
// Written at sign-in and whenever /me answers (the app and the service worker both do).
import { getMeta, setMeta, type OfflineDb } from './db'

export const ME_KEY = 'me_response'

export interface SavedMe {
  /** SHA-256 of the request's Authorization header value (`Bearer <token>`). */
  auth: string
  body: unknown
}

export async function authKey(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`Bearer ${token}`))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function saveProfile(db: OfflineDb, token: string, me: unknown): Promise<void> {
  await setMeta(db, ME_KEY, { auth: await authKey(token), body: me } satisfies SavedMe)
}

/** The profile saved for this token, if any. */
export async function loadProfile<T>(db: OfflineDb, token: string): Promise<T | undefined> {
  const saved = await getMeta<SavedMe>(db, ME_KEY)
  return saved && saved.auth === (await authKey(token)) ? (saved.body as T) : undefined
}
