import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createConsoleRouter } from './router'
import { createConsoleI18n } from './i18n'
import './styles.css'
// Element Plus's function-style components are not seen by the component resolver.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'

const app = createApp(App)
app.use(createPinia())
app.use(createConsoleI18n())
app.use(createConsoleRouter())
app.mount('#app')
