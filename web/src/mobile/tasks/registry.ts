// The home screen lists "my open tasks" from every module that has some (hazards to accept or
// rectify, inspections due, permits to approve…). A module registers a source; the home screen
// merges them, most urgent first. No module provides one yet, so the list starts empty.
import type { RouteLocationRaw } from 'vue-router'

export type TaskUrgency = 'red' | 'yellow' | 'blue' | 'normal'

export interface MobileTask {
  /** Unique across sources, e.g. `hazard:<id>`. */
  id: string
  /** Already translated by the source. */
  title: string
  subtitle?: string
  /** RFC 3339. */
  due_at?: string
  urgency: TaskUrgency
  to: RouteLocationRaw
}

export interface TaskSource {
  key: string
  load(): Promise<MobileTask[]>
}

const sources = new Map<string, TaskSource>()

export function registerTaskSource(source: TaskSource) {
  sources.set(source.key, source)
}

export function unregisterTaskSource(key: string) {
  sources.delete(key)
}

const URGENCY_ORDER: Record<TaskUrgency, number> = { red: 0, yellow: 1, blue: 2, normal: 3 }

/** Overdue and urgent first, then by deadline; tasks without a deadline last. */
export function sortTasks(tasks: MobileTask[]): MobileTask[] {
  const due = (t: MobileTask) => (t.due_at ? Date.parse(t.due_at) : Number.POSITIVE_INFINITY)
  return [...tasks].sort((a, b) => URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || due(a) - due(b))
}

/** Loads every source; a failing source does not hide the others' tasks. */
export async function loadTasks(): Promise<{ tasks: MobileTask[]; failed: string[] }> {
  const list = [...sources.values()]
  const results = await Promise.allSettled(list.map((s) => s.load()))
  const tasks: MobileTask[] = []
  const failed: string[] = []
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') tasks.push(...r.value)
    else failed.push(list[i]!.key)
  })
  return { tasks: sortTasks(tasks), failed }
}
