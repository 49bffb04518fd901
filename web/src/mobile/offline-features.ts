// Every feature of the phone that keeps data offline, registered with src/lib/offline (registry.ts).
// The sync engine (sync/start.ts) and the service worker (sw.ts) import this list, so both know every
// mutation and change type before the first sync. Every `src/mobile/<module>/offline.ts` is loaded here
// (it calls registerOfflineFeature); a new module adds its own offline.ts and nothing here changes.
// The service worker bundles what these files import: keep them free of Vue components and screens.
import { registerOfflineFeature, type OfflineFeature } from '../lib/offline/registry'

import.meta.glob('./*/offline.ts', { eager: true })

// The change feed's `people`: the user's team, its leader and their supervisor (to call someone, to
// name an assignee offline). Not a feature's records, reference data of the signed-in user.
export const PEOPLE_KEY = 'people'
const team: OfflineFeature = {
  name: 'team',
  changes: [{ type: 'people', apply: (c, ctx) => ctx.setMeta(PEOPLE_KEY, c.data) }],
  userMeta: [PEOPLE_KEY],
}
registerOfflineFeature(team)
