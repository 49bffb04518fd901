// Departments come from the server as a flat list with parent_id; the console shows them as a tree.
import type { Department } from '../api/types'

export interface DepartmentNode extends Department {
  children: DepartmentNode[]
  /** Names from the root down to this department, e.g. ["生产部", "焊接一车间"]. */
  path: string[]
}

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true })
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 一 → 1, 十二 → 12, 二十三 → 23: so 焊接一车间 sorts before 焊接二车间 (pinyin order would not). */
export function chineseNumeral(run: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(run)) return null
  let total = 0
  let digit = 0
  for (const c of run) {
    if (c === '百') {
      total += (digit || 1) * 100
      digit = 0
    } else if (c === '十') {
      total += (digit || 1) * 10
      digit = 0
    } else {
      digit = DIGITS[c] ?? 0
    }
  }
  return total + digit
}

export function sortKey(name: string): string {
  return name.replace(/[零〇一二两三四五六七八九十百]+/g, (run) => String(chineseNumeral(run) ?? run))
}

/**
 * Builds the forest. A department whose parent is unknown (or that sits in a parent cycle, which the
 * server should never produce) becomes a root rather than vanishing. Siblings are sorted by name.
 */
export function buildTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>()
  for (const d of departments) nodes.set(d.id, { ...d, children: [], path: [] })
  const roots: DepartmentNode[] = []
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined
    if (parent && !isAncestor(nodes, node.id, parent.id)) parent.children.push(node)
    else roots.push(node)
  }
  const finish = (list: DepartmentNode[], prefix: string[]) => {
    list.sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0) || collator.compare(sortKey(a.name), sortKey(b.name)))
    for (const n of list) {
      n.path = [...prefix, n.name]
      finish(n.children, n.path)
    }
  }
  finish(roots, [])
  return roots
}

/** True when `ancestorId` is `id` itself or above it (walking parent links from `id`). */
function isAncestor(nodes: Map<string, Department>, ancestorId: string, id: string): boolean {
  const seen = new Set<string>()
  let cur: string | null | undefined = id
  while (cur && !seen.has(cur)) {
    if (cur === ancestorId) return true
    seen.add(cur)
    cur = nodes.get(cur)?.parent_id
  }
  return false
}

/** The department and everything below it: the places it must not be moved into. */
export function subtreeIds(departments: readonly Department[], id: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const d of departments) {
    if (!d.parent_id) continue
    const list = children.get(d.parent_id) ?? []
    list.push(d.id)
    children.set(d.parent_id, list)
  }
  const out = new Set<string>()
  const stack = [id]
  while (stack.length) {
    const cur = stack.pop()!
    if (out.has(cur)) continue
    out.add(cur)
    stack.push(...(children.get(cur) ?? []))
  }
  return out
}

/** "生产部/焊接一车间" — the notation the import file uses for a department. */
export function departmentPath(departments: readonly Department[], id: string | null | undefined): string {
  const byId = new Map(departments.map((d) => [d.id, d]))
  const names: string[] = []
  const seen = new Set<string>()
  let cur = id ? byId.get(id) : undefined
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id)
    names.unshift(cur.name)
    cur = cur.parent_id ? byId.get(cur.parent_id) : undefined
  }
  return names.join('/')
}
