// Starts SafeLoop for the browser tests: a fresh temp data dir, `safeloop demo`, then
// `safeloop serve` on a free port serving web/dist; waits for /healthz. The returned function stops it.
import { spawn, execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const STARTUP_TIMEOUT_MS = 30_000

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => res(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.SAFELOOP_URL_EXTERNAL) {
    // Point the tests at a server someone else runs (debugging only).
    process.env.SAFELOOP_URL = process.env.SAFELOOP_URL_EXTERNAL
    return async () => undefined
  }
  const bin = resolve(webDir, process.env.SAFELOOP_BIN ?? '../build/safeloop')
  if (!existsSync(bin)) throw new Error(`SafeLoop binary not found at ${bin}: build it (make build) or set SAFELOOP_BIN`)
  const dist = resolve(webDir, 'dist')
  if (!existsSync(join(dist, 'mobile.html')) || !existsSync(join(dist, 'console.html'))) {
    throw new Error(`${dist} has no built web app: run \`npm --prefix web run build\` first`)
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'safeloop-e2e-'))
  execFileSync(bin, ['demo', '--data', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] })

  const resultsDir = resolve(webDir, 'test-results')
  mkdirSync(resultsDir, { recursive: true })
  const logPath = join(resultsDir, 'server.log')
  const log = openSync(logPath, 'w')
  const port = await freePort()
  const child = spawn(bin, ['serve', '--data', dataDir, '--port', String(port), '--web', dist], {
    stdio: ['ignore', log, log],
  })
  let exited: number | null = null
  child.on('exit', (code) => {
    exited = code ?? -1
  })

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  for (;;) {
    if (exited !== null) throw new Error(`safeloop serve exited with ${exited}:\n${readFileSync(logPath, 'utf8').slice(-2000)}`)
    try {
      const r = await fetch(`${url}/healthz`)
      if (r.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`safeloop serve did not answer /healthz within ${STARTUP_TIMEOUT_MS} ms (log: ${logPath})`)
    }
    await sleep(100)
  }
  process.env.SAFELOOP_URL = url
  process.env.SAFELOOP_E2E_DATA = dataDir

  return async () => {
    if (exited === null) {
      child.kill('SIGTERM')
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100)
      if (exited === null) child.kill('SIGKILL')
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}
