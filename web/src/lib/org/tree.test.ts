import { describe, expect, it } from 'vitest'
import { buildTree, chineseNumeral, departmentPath, subtreeIds } from './tree'
import type { Department } from '../api/types'

const d = (id: string, name: string, parent_id: string | null = null): Department => ({ id, name, parent_id })
const list = [
  d('p', '生产部'),
  d('w2', '焊接二车间', 'p'),
  d('w1', '焊接一车间', 'p'),
  d('s', '安全部'),
  d('orphan', '孤儿部门', 'gone'),
]

describe('department tree', () => {
  it('nests children under parents, sorted, with paths', () => {
    const tree = buildTree(list)
    const prod = tree.find((n) => n.id === 'p')!
    expect(prod.children.map((c) => c.name)).toEqual(['焊接一车间', '焊接二车间'])
    expect(prod.children[0]!.path).toEqual(['生产部', '焊接一车间'])
  })

  it('reads Chinese numerals so 一车间 sorts before 二车间 and 十二 after 九', () => {
    expect(chineseNumeral('一')).toBe(1)
    expect(chineseNumeral('十二')).toBe(12)
    expect(chineseNumeral('二十三')).toBe(23)
    const names = buildTree([d('a', '焊接十车间'), d('b', '焊接二车间'), d('c', '焊接一车间')]).map((n) => n.name)
    expect(names).toEqual(['焊接一车间', '焊接二车间', '焊接十车间'])
  })

  it('follows the server sort_order before the name', () => {
    const names = buildTree([
      { ...d('a', '安全部'), sort_order: 20 },
      { ...d('b', '总经理办公室'), sort_order: 10 },
    ]).map((n) => n.name)
    expect(names).toEqual(['总经理办公室', '安全部'])
  })

  it('keeps departments whose parent is unknown as roots', () => {
    expect(buildTree(list).map((n) => n.id)).toContain('orphan')
  })

  it('does not loop forever on a parent cycle', () => {
    const tree = buildTree([d('a', 'A', 'b'), d('b', 'B', 'a')])
    const count = (nodes: ReturnType<typeof buildTree>): number => nodes.reduce((s, n) => s + 1 + count(n.children), 0)
    expect(count(tree)).toBe(2)
  })

  it('finds a subtree (where a department cannot be moved)', () => {
    expect([...subtreeIds(list, 'p')].sort()).toEqual(['p', 'w1', 'w2'])
  })

  it('writes the import path of a department', () => {
    expect(departmentPath(list, 'w1')).toBe('生产部/焊接一车间')
    expect(departmentPath(list, null)).toBe('')
  })
})
