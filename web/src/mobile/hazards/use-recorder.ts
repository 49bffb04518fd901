// A voice note recorded on the phone (MediaRecorder): the fallback when dictation is not available or
// not understood. Tap to start, tap to stop; the elapsed time is shown and the recording stops by itself
// at the server's limit. The server reads the length from the file and refuses a recording whose length it
// cannot read; MediaRecorder's WebM is written as a stream and some Chrome versions leave the duration out,
// so when it is missing the measured length is written in (fix-webm-duration leaves a present one alone).
// Chromium 156 here writes files whose length libavformat reads anyway (2.94 s for a 3 s recording).
import { onBeforeUnmount, ref } from 'vue'
import fixWebmDuration from 'fix-webm-duration'
import { MAX_VOICE_NOTE_S } from '@/lib/api/hazards'
import { pickAudioType } from './format'

/** Stop a little before the limit: the server measures the file, which runs slightly past the last tick. */
const STOP_MARGIN_S = 1

export function useRecorder(maxSeconds = MAX_VOICE_NOTE_S) {
  const supported = typeof MediaRecorder !== 'undefined' && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia
  const recording = ref(false)
  const elapsed = ref(0)
  let recorder: MediaRecorder | null = null
  let stream: MediaStream | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let startedAt = 0
  let finished: ((blob: Blob | null) => void) | null = null

  function release() {
    if (timer) clearInterval(timer)
    timer = null
    stream?.getTracks().forEach((track) => track.stop())
    stream = null
    recording.value = false
  }

  /** Starts recording; resolves with the recording when it stops (tap again, or the limit). Throws when the microphone is refused. */
  async function start(): Promise<Blob | null> {
    if (!supported || recording.value) return null
    stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    const type = pickAudioType((t) => MediaRecorder.isTypeSupported(t))
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined)
    const chunks: Blob[] = []
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data)
    }
    const done = new Promise<Blob | null>((resolve) => (finished = resolve))
    recorder.onstop = async () => {
      const ms = Date.now() - startedAt
      release()
      const mime = (recorder?.mimeType || type || chunks[0]?.type || 'audio/webm').split(';')[0]!
      let blob: Blob | null = chunks.length ? new Blob(chunks, { type: mime }) : null
      if (blob && mime === 'audio/webm') blob = await fixWebmDuration(blob, ms, { logger: false }).catch(() => blob)
      // Keep the plain type: the upload's Content-Type must be one the server knows.
      if (blob && blob.type !== mime) blob = new Blob([blob], { type: mime })
      finished?.(blob)
      finished = null
    }
    startedAt = Date.now()
    elapsed.value = 0
    recording.value = true
    recorder.start()
    timer = setInterval(() => {
      elapsed.value = (Date.now() - startedAt) / 1000
      if (elapsed.value >= maxSeconds - STOP_MARGIN_S) stop()
    }, 250)
    return done
  }

  function stop() {
    if (recorder && recorder.state !== 'inactive') recorder.stop()
  }

  onBeforeUnmount(() => {
    finished = null
    stop()
    release()
  })

  return { supported, recording, elapsed, start, stop }
}
