// The sync status screen (我的 → 同步状态); no tab and no home entry.
import { registerMobileModule } from '../module-registry'
import { syncRoutes } from './routes'

registerMobileModule({ name: 'sync', order: 90, routes: syncRoutes })
