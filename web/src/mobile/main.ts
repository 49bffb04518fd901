import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createMobileRouter } from './router'
import { createMobileI18n } from './i18n'
import { registerServiceWorker } from './register-sw'
import { installOfflineSession } from './offline-session'
import './styles.css'
// Vant's function-style components (toast, dialog) are not seen by the component resolver.
import 'vant/es/toast/style'
import 'vant/es/dialog/style'

installOfflineSession()

const app = createApp(App)
app.use(createPinia())
app.use(createMobileI18n())
app.use(createMobileRouter())
app.mount('#app')

registerServiceWorker()
