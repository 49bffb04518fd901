// Turns an uploaded CSV/XLSX sheet into the rows `POST /org/import` takes. Headers may be Chinese
// (the template's) or English (the API's keys); cells become trimmed strings.
import type { ImportRow } from '../api/types'
import { decodeText, parseCsv, toCsv } from './csv'

export const IMPORT_FIELDS = [
  'employee_no',
  'name',
  'login',
  'mobile',
  'department',
  'team',
  'position',
  'supervisor_employee_no',
  'roles',
] as const satisfies readonly (keyof ImportRow)[]

export type ImportField = (typeof IMPORT_FIELDS)[number]

/** The template's headers, in order. */
export const TEMPLATE_HEADERS: Record<ImportField, string> = {
  employee_no: '工号',
  name: '姓名',
  login: '登录名',
  mobile: '手机号',
  department: '部门',
  team: '班组',
  position: '岗位',
  supervisor_employee_no: '直属上级工号',
  roles: '角色',
}

const ALIASES: Record<ImportField, string[]> = {
  employee_no: ['工号', '员工编号', '员工号', 'employee_no', 'employee no', 'employee number'],
  name: ['姓名', '名字', 'name'],
  login: ['登录名', '账号', '用户名', 'login', 'username'],
  mobile: ['手机号', '手机', '手机号码', '电话', 'mobile', 'phone'],
  department: ['部门', '所属部门', '车间', 'department', 'dept'],
  team: ['班组', 'team'],
  position: ['岗位', '职位', 'position', 'job'],
  supervisor_employee_no: ['直属上级工号', '上级工号', '直属上级', 'supervisor_employee_no', 'supervisor employee no', 'supervisor'],
  roles: ['角色', 'roles', 'role'],
}

/** Optional column: an initial password (not in the template; never shown in the preview). */
const PASSWORD_ALIASES = ['初始密码', '密码', 'password', 'initial password']
export const PASSWORD_COLUMN = 'password' as const

const normalizeHeader = (h: string) => h.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s_]+/g, ' ')
type Column = ImportField | typeof PASSWORD_COLUMN
const headerIndex = new Map<string, Column>()
for (const field of IMPORT_FIELDS) for (const alias of ALIASES[field]) headerIndex.set(normalizeHeader(alias), field)
for (const alias of PASSWORD_ALIASES) headerIndex.set(normalizeHeader(alias), PASSWORD_COLUMN)

export function fieldForHeader(header: string): Column | undefined {
  return headerIndex.get(normalizeHeader(header))
}

export interface SheetReadResult {
  rows: ImportRow[]
  /** Header cells we did not recognise (ignored). */
  unknownHeaders: string[]
  /** Fields with no column in the file. */
  missingFields: ImportField[]
  /** The file has an initial-password column. */
  hasPasswords: boolean
}

export class ImportFileError extends Error {
  constructor(readonly code: 'empty' | 'no_header' | 'unreadable') {
    super(code)
    this.name = 'ImportFileError'
  }
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value)
  return String(value).trim()
}

/** First non-empty line is the header; blank lines are skipped, so row N here is data row N on the server. */
export function sheetToRows(sheet: readonly (readonly unknown[])[]): SheetReadResult {
  const lines = sheet.map((r) => r.map(cellText)).filter((r) => r.some((c) => c !== ''))
  const header = lines.shift()
  if (!header) throw new ImportFileError('empty')
  const columns = header.map(fieldForHeader)
  if (!columns.some(Boolean)) throw new ImportFileError('no_header')
  const unknownHeaders = header.filter((h, i) => h !== '' && !columns[i])
  const missingFields = IMPORT_FIELDS.filter((f) => !columns.includes(f))
  const hasPasswords = columns.includes(PASSWORD_COLUMN)
  const rows = lines.map((line) => {
    const row = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, ''])) as unknown as ImportRow
    columns.forEach((field, i) => {
      const value = line[i] ?? ''
      if (field === PASSWORD_COLUMN) {
        if (value !== '') row.password = value
      } else if (field) {
        row[field] = value
      }
    })
    return row
  })
  return { rows, unknownHeaders, missingFields, hasPasswords }
}

export function isXlsx(name: string): boolean {
  return /\.xlsx$/i.test(name)
}

/** Reads a File the user picked. XLSX support is loaded only when needed (keeps it out of the first load). */
export async function readImportFile(file: Blob & { name: string }): Promise<SheetReadResult> {
  let sheet: unknown[][]
  try {
    if (isXlsx(file.name)) {
      const { readSheet } = await import('read-excel-file/browser')
      sheet = (await readSheet(file)) as unknown[][]
    } else {
      sheet = parseCsv(decodeText(await file.arrayBuffer()))
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e
    throw new ImportFileError('unreadable')
  }
  return sheetToRows(sheet)
}

/** The downloadable template: Chinese headers, UTF-8 with BOM so Excel shows them right. */
export function templateCsv(): string {
  return toCsv([IMPORT_FIELDS.map((f) => TEMPLATE_HEADERS[f])])
}

