import { describe, expect, it } from 'vitest'
import { ImportFileError, readImportFile, sheetToRows, templateCsv } from './import-file'
import { parseCsv } from './csv'

describe('import file', () => {
  it('maps Chinese template headers to API keys', () => {
    const { rows, missingFields, unknownHeaders } = sheetToRows([
      ['工号', '姓名', '登录名', '手机号', '部门', '班组', '岗位', '直属上级工号', '角色', '备注'],
      ['W9001', '王五', 'wangwu', 13800000001, '生产部/焊接一车间', '焊接一班', '焊工', 'L0001', 'worker'],
    ])
    expect(rows).toEqual([
      {
        employee_no: 'W9001',
        name: '王五',
        login: 'wangwu',
        mobile: '13800000001',
        department: '生产部/焊接一车间',
        team: '焊接一班',
        position: '焊工',
        supervisor_employee_no: 'L0001',
        roles: 'worker',
      },
    ])
    expect(missingFields).toEqual([])
    expect(unknownHeaders).toEqual(['备注'])
  })

  it('accepts English headers in any order and fills missing columns with ""', () => {
    const { rows, missingFields } = sheetToRows([
      ['login', 'Name', 'employee_no', 'department'],
      ['zs', '张三', 'E1', '安全部'],
    ])
    expect(rows[0]).toMatchObject({ login: 'zs', name: '张三', employee_no: 'E1', department: '安全部', mobile: '' })
    expect(missingFields).toContain('mobile')
  })

  it('reads an optional initial-password column, only where a cell has one', () => {
    const { rows, hasPasswords, unknownHeaders } = sheetToRows([
      ['姓名', '登录名', '初始密码'],
      ['张三', 'zs', 'Secret-2026'],
      ['李四', 'ls', ''],
    ])
    expect(hasPasswords).toBe(true)
    expect(unknownHeaders).toEqual([])
    expect(rows[0]!.password).toBe('Secret-2026')
    expect('password' in rows[1]!).toBe(false)
  })

  it('skips blank lines so row numbers match the server data rows', () => {
    const { rows } = sheetToRows([['姓名'], [''], ['a'], [null], ['b']])
    expect(rows.map((r) => r.name)).toEqual(['a', 'b'])
  })

  it('refuses an empty file or one with no known header', () => {
    expect(() => sheetToRows([])).toThrow(ImportFileError)
    expect(() => sheetToRows([['foo', 'bar'], ['1', '2']])).toThrow(ImportFileError)
  })

  it('offers a template with the Chinese headers that it reads back', () => {
    const text = templateCsv()
    expect(text.startsWith('\ufeff工号,姓名,登录名,手机号,部门,班组,岗位,直属上级工号,角色')).toBe(true)
    expect(sheetToRows(parseCsv(text)).missingFields).toEqual([])
  })

  it('reads a GBK-encoded CSV file', async () => {
    // "姓名\n张三" in GBK
    const bytes = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd])
    const file = Object.assign(new Blob([bytes]), { name: 'people.csv' })
    const { rows } = await readImportFile(file)
    expect(rows[0]!.name).toBe('张三')
  })
})
