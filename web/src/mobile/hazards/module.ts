// The hazard module of the phone: its screens, the 隐患 tab and the 我的隐患 entry on the home screen.
// Its offline data (mutations, change types, local reads) is registered by ./offline.ts.
import { registerMobileModule } from '../module-registry'
import { FEATURE_ROUTES } from '../feature-routes'
import { hazardRoutes } from './routes'
import HazardsTabItem from './components/HazardsTabItem.vue'
import MyHazardsEntry from './components/MyHazardsEntry.vue'

registerMobileModule({
  name: 'hazards',
  order: 10,
  routes: hazardRoutes,
  tabItem: { route: FEATURE_ROUTES.hazardList, component: HazardsTabItem },
  homeEntry: MyHazardsEntry,
})
