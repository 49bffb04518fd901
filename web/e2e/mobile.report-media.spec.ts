// The report's media on the phone (360×740) against the real server: a voice note recorded with the
// microphone (Chromium's fake capture device: a tone) is uploaded, attached and measured by the server;
// a large photo with EXIF is downscaled on the phone and its upload still carries the EXIF time and GPS.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, expect, loginMobile, shot, type Api } from './fixtures'

const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...FAKE_MEDIA],
  },
  permissions: ['microphone', 'geolocation'],
  geolocation: { latitude: 31.2304, longitude: 121.4737, accuracy: 12 },
})

interface VoiceNote {
  file_id: string
  content_type: string
  duration_s: number
}
interface Detail {
  id: string
  code: string
  photos: string[]
  voice_note: VoiceNote | null
}

async function reportedHazard(api: Api, token: string, code: string): Promise<Detail> {
  const list = await api.get<{ items: { id: string }[] }>(token, `/hazards?code=${code}`)
  expect(list.status).toBe(200)
  expect(list.body.items).toHaveLength(1)
  const detail = await api.get<Detail>(token, `/hazards/${list.body.items[0]!.id}`)
  expect(detail.status).toBe(200)
  return detail.body
}

test('a recorded voice note goes with the report, measured by the server, and plays on the detail', async ({ page, api }) => {
  await loginMobile(page, 'welder1')
  await page.goto('/m/hazards/new')
  await page.getByTestId('grade-blue').click()
  const record = page.getByTestId('report-record')
  await expect(record).toBeVisible()
  await record.click()
  await expect(record).toHaveAttribute('aria-pressed', 'true')
  // The elapsed time runs while recording.
  await expect(record).toContainText('0:02', { timeout: 5000 })
  await page.waitForTimeout(1200)
  await record.click()
  const player = page.getByTestId('report-voice-player')
  await expect(player).toHaveAttribute('data-status', 'done', { timeout: 15_000 })
  await shot(page, 'mobile-report-voice-note-zh')
  await page.getByTestId('report-submit').click()
  const code = (await page.getByTestId('report-code').textContent())!.trim()

  const token = await api.token('welder1')
  const hazard = await reportedHazard(api, token, code)
  expect(hazard.voice_note).not.toBeNull()
  expect(hazard.voice_note!.content_type).toMatch(/^audio\//)
  // About three seconds of recording; the server read the length from the file.
  expect(hazard.voice_note!.duration_s).toBeGreaterThan(2)
  expect(hazard.voice_note!.duration_s).toBeLessThan(10)

  await page.getByTestId('report-open').click()
  const note = page.getByTestId('hazard-voice-note')
  await expect(note).toBeVisible()
  await expect(note.getByTestId('voice-note-audio')).toBeVisible()
  // The browser can play what was stored: its metadata loads.
  await expect.poll(async () => note.getByTestId('voice-note-audio').evaluate((a: HTMLAudioElement) => a.readyState), { timeout: 10_000 }).toBeGreaterThan(0)
})

test('a photo downscaled on the phone keeps the original EXIF time and GPS on the server', async ({ page, api, request }) => {
  // The real EXIF fixture (96×64 JPEG, 2026:11:28 14:03:07 +08:00, 31°13'30.15"N 121°28'18.01"E), padded
  // with comment segments after its EXIF (where a camera's big thumbnail and maker notes would be) past the
  // 600 KB under which photos are kept as they are: the phone redraws it.
  const here = dirname(fileURLToPath(import.meta.url))
  const original = readFileSync(join(here, '..', 'src', 'lib', 'files', 'fixtures', 'exif-photo.jpg'))
  expect([original[2], original[3]]).toEqual([0xff, 0xe1]) // EXIF right after SOI
  const exifEnd = 4 + original.readUInt16BE(4)
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(0xfffd, 0x20)])
  const big = Buffer.concat([original.subarray(0, exifEnd), ...Array.from({ length: 11 }, () => comment), original.subarray(exifEnd)])
  expect(big.length).toBeGreaterThan(600_000)

  await loginMobile(page, 'welder1')
  await page.goto('/m/hazards/new')
  await page.getByTestId('report-camera-input').setInputFiles({ name: 'exif.jpg', mimeType: 'image/jpeg', buffer: big })
  await expect(page.getByTestId('report-photo').first()).toHaveAttribute('data-status', 'done', { timeout: 15_000 })
  await page.getByTestId('grade-blue').click()
  await page.getByTestId('report-submit').click()
  const code = (await page.getByTestId('report-code').textContent())!.trim()

  const token = await api.token('welder1')
  const hazard = await reportedHazard(api, token, code)
  expect(hazard.photos).toHaveLength(1)
  const r = await request.get(`/api/v1/files/${hazard.photos[0]}/meta`, { headers: { Authorization: `Bearer ${token}` } })
  expect(r.status()).toBe(200)
  const file = (await r.json()) as { size: number; content_type: string; meta: { captured_at?: string; gps?: { lat: number; lng: number } } }
  // The downscaled copy was uploaded, not the original …
  expect(file.size).toBeLessThan(big.length / 10)
  expect(file.content_type).toBe('image/jpeg')
  // … and it carries the original's time (14:03:07 at +08:00 = 06:03:07 UTC) and position.
  expect(file.meta.captured_at).toBe('2026-11-28T06:03:07.000Z')
  expect(file.meta.gps!.lat).toBeCloseTo(31 + 13 / 60 + 30.15 / 3600, 4)
  expect(file.meta.gps!.lng).toBeCloseTo(121 + 28 / 60 + 18.01 / 3600, 4)
})
