import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in (login, forbidden). */
    public?: boolean
    /** Permission needed to open the route, e.g. `org.read`. */
    permission?: string
    /** i18n key of the page title. */
    titleKey?: string
  }
}
