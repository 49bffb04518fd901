import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { MOBILE_MODULES } from './modules'
import { FEATURE_ROUTES } from './feature-routes'
import { clearMobileModulesForTest, mobileModules, registerMobileModule } from './module-registry'

describe('the phone modules found by modules.ts', () => {
  it('include hazards with its tab and home entry, and sync', () => {
    const hazards = MOBILE_MODULES.find((m) => m.name === 'hazards')
    expect(hazards?.tabItem?.route).toBe(FEATURE_ROUTES.hazardList)
    expect(hazards?.homeEntry).toBeDefined()
    expect(MOBILE_MODULES.map((m) => m.name)).toContain('sync')
  })

  it("each tab opens one of its own module's routes", () => {
    for (const m of MOBILE_MODULES) {
      if (m.tabItem) expect(m.routes.map((r) => r.name), m.name).toContain(m.tabItem.route)
    }
  })

  it('no two modules register the same route name', () => {
    const names = MOBILE_MODULES.flatMap((m) => m.routes.map((r) => r.name))
    expect(new Set(names).size).toBe(names.length)
  })
})

describe('registerMobileModule', () => {
  const Item = defineComponent({ render: () => null })
  beforeEach(() => clearMobileModulesForTest())

  it('lists modules by order, whatever order they were loaded in', () => {
    registerMobileModule({ name: 'training', order: 30, routes: [] })
    registerMobileModule({ name: 'inspections', order: 20, routes: [], homeEntry: Item })
    registerMobileModule({ name: 'hazards', order: 10, routes: [], tabItem: { route: 'x', component: Item } })
    expect(mobileModules().map((m) => m.name)).toEqual(['hazards', 'inspections', 'training'])
  })

  it('breaks a tie in order by name', () => {
    registerMobileModule({ name: 'b', order: 5, routes: [] })
    registerMobileModule({ name: 'a', order: 5, routes: [] })
    expect(mobileModules().map((m) => m.name)).toEqual(['a', 'b'])
  })

  it('refuses a second module of the same name and keeps the first', () => {
    registerMobileModule({ name: 'hazards', order: 10, routes: [] })
    expect(() => registerMobileModule({ name: 'hazards', order: 1, routes: [] })).toThrow(/hazards/)
    expect(mobileModules()).toHaveLength(1)
    expect(mobileModules()[0]!.order).toBe(10)
  })
})
