// Dictation with the Web Speech API where the browser offers it (Chrome on Android); otherwise the
// phone keyboard's own voice input works in the roomy description field.
import { onBeforeUnmount, ref, type Ref } from 'vue'

interface Recognition {
  lang: string
  continuous: boolean
  interimResults: boolean
  onresult: ((e: { resultIndex: number; results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }> }) => void) | null
  onend: (() => void) | null
  onerror: (() => void) | null
  start(): void
  stop(): void
}
type RecognitionCtor = new () => Recognition

export function useSpeech(locale: Ref<string>) {
  const g = globalThis as unknown as { SpeechRecognition?: RecognitionCtor; webkitSpeechRecognition?: RecognitionCtor }
  const Ctor = g.SpeechRecognition ?? g.webkitSpeechRecognition
  const listening = ref(false)
  let rec: Recognition | null = null

  function stop() {
    rec?.stop()
    listening.value = false
  }

  function toggle(onText: (text: string) => void, onFail?: () => void) {
    if (!Ctor) return
    if (listening.value) return stop()
    rec = new Ctor()
    rec.lang = locale.value === 'en' ? 'en-US' : 'zh-CN'
    rec.continuous = true
    rec.interimResults = false
    rec.onresult = (e) => {
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const r = e.results[i]!
        if (r.isFinal) onText(r[0]!.transcript)
      }
    }
    rec.onend = () => (listening.value = false)
    rec.onerror = () => {
      listening.value = false
      onFail?.()
    }
    try {
      rec.start()
      listening.value = true
    } catch {
      listening.value = false
      onFail?.()
    }
  }

  onBeforeUnmount(stop)
  return { supported: !!Ctor, listening, toggle }
}
