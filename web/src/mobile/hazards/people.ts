// Display names for user ids in a hazard's timeline (events carry actor ids). Looked up once per id.
import { getUser } from '@/lib/api/org'

const cache = new Map<string, Promise<string | null>>()

export function userName(id: string): Promise<string | null> {
  let p = cache.get(id)
  if (!p) {
    p = getUser(id).then(
      (u) => u.name,
      () => {
        cache.delete(id)
        return null
      },
    )
    cache.set(id, p)
  }
  return p
}

export async function userNames(ids: Iterable<string>): Promise<Record<string, string>> {
  const unique = [...new Set(ids)]
  const names = await Promise.all(unique.map(userName))
  const out: Record<string, string> = {}
  unique.forEach((id, i) => {
    if (names[i]) out[id] = names[i]!
  })
  return out
}
