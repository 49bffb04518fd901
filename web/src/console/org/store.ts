// Organisation data the console screens share (departments, teams, positions, roles, sites and a
// directory of people for showing names), loaded once and refreshed after each change.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as orgApi from '@/lib/api/org'
import { listRoles } from '@/lib/api/auth'
import type { Department, Position, Role, Site, Team, User } from '@/lib/api/types'
import { buildTree, departmentPath } from '@/lib/org/tree'

/** The directory pages through /users; beyond this many people, names fall back to ids. */
const DIRECTORY_PAGE = 1000
const DIRECTORY_MAX_PAGES = 10

export const useOrgStore = defineStore('org', () => {
  const departments = ref<Department[]>([])
  const teams = ref<Team[]>([])
  const positions = ref<Position[]>([])
  const roles = ref<Role[]>([])
  const sites = ref<Site[]>([])
  const people = ref(new Map<string, User>())

  const tree = computed(() => buildTree(departments.value))

  async function loadDepartments() {
    departments.value = await orgApi.listDepartments()
  }
  async function loadTeams() {
    teams.value = await orgApi.listTeams()
  }
  async function loadPositions() {
    positions.value = await orgApi.listPositions()
  }
  async function loadRoles() {
    if (roles.value.length === 0) roles.value = await listRoles().catch(() => [])
  }
  async function loadSites() {
    sites.value = await orgApi.listSites().catch(() => [])
  }
  async function loadPeople() {
    const map = new Map<string, User>()
    let cursor: string | null | undefined
    for (let page = 0; page < DIRECTORY_MAX_PAGES; page++) {
      const answer = await orgApi.listUsers({ limit: DIRECTORY_PAGE, cursor })
      answer.items.forEach((u) => map.set(u.id, u))
      cursor = answer.next_cursor
      if (!cursor) break
    }
    people.value = map
  }
  function remember(user: User) {
    people.value.set(user.id, user)
  }

  const pathOf = (id: string | null | undefined) => departmentPath(departments.value, id)
  const teamName = (id: string | null | undefined) => teams.value.find((t) => t.id === id)?.name ?? ''
  const positionName = (id: string | null | undefined) => positions.value.find((p) => p.id === id)?.name ?? ''
  const personName = (id: string | null | undefined) => (id ? people.value.get(id)?.name ?? '' : '')

  return {
    departments,
    teams,
    positions,
    roles,
    sites,
    people,
    tree,
    loadDepartments,
    loadTeams,
    loadPositions,
    loadRoles,
    loadSites,
    loadPeople,
    remember,
    pathOf,
    teamName,
    positionName,
    personName,
  }
})
