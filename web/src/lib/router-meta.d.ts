import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in (login, forbidden). */
    public?: boolean
    /** Permission(s) needed to open the route, e.g. `org.read`; with a list, all of them. */
    permission?: string | readonly string[]
    /** i18n key of the page title. */
    titleKey?: string
  }
}
