// Which buttons a hazard's detail shows: exactly the `actions` the server listed for the caller. The
// screens do not re-derive who may do what (the rules live on the server, beside the transitions they
// guard); a hazard without `actions` (an older server, or a copy the phone changed offline and the
// server has not answered yet) offers nothing rather than a guess.
import type { HazardAction } from '../api/hazards'

export function allowedActions(h: { actions?: unknown } | null | undefined): ReadonlySet<HazardAction> {
  const list = h && Array.isArray(h.actions) ? h.actions.filter((a): a is HazardAction => typeof a === 'string') : []
  return new Set(list)
}
