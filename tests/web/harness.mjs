// What the browser tests run against: a real nats-server and a real mythos-chatd on free
// loopback ports, configured from a temp dir, and Debian's Chromium driven by playwright-core.
// Everything started here is stopped by stopAll(), which also runs on exit and on signals.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.MYTHOS_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const children = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function waitFor(what, check, timeoutMs = 15000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

// A child process whose output goes to a log file, for the failure report.
class Child {
  constructor(name, command, args, logFile) {
    this.name = name;
    this.logFile = logFile;
    const out = fs.openSync(logFile, 'a');
    this.process = spawn(command, args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        children.delete(this);
        this.exitCode = code;
        this.exitSignal = signal;
        resolve({ code, signal });
      });
      this.process.once('error', (error) => {
        children.delete(this);
        this.spawnError = error;
        resolve({ code: null, signal: null, error });
      });
    });
    children.add(this);
  }

  get running() {
    return this.exitCode === undefined && this.exitSignal === undefined && !this.spawnError;
  }

  async stop(timeoutMs = 10000) {
    if (!this.running) return this.exited;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  tail(lines = 60) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }
}

export async function startNats(dir) {
  const port = await freePort();
  const nats = new Child('nats-server', process.env.MYTHOS_NATS_SERVER || 'nats-server',
    ['-a', '127.0.0.1', '-p', String(port)], path.join(dir, 'nats-server.log'));
  await waitFor('nats-server to listen', async () => {
    if (!nats.running) throw new Error(`nats-server exited: ${nats.spawnError?.message || nats.tail(10)}`);
    return portOpen(port);
  });
  nats.url = `nats://127.0.0.1:${port}`;
  return nats;
}

// mythos-chatd with guests, client moves and a small rate limit on `zone`, on a port of its own
// that stays the same across restart() so pages can reconnect to it. `recoveryMaxMessages`
// (chat.recovery.max_messages) is how much a resume returns before it reports `too_many`.
export class ChatServer {
  constructor(binary, dir, natsUrl, port, zoneLimit, { recoveryMaxMessages = 200 } = {}) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.configFile = path.join(dir, 'server_config.yaml');
    fs.writeFileSync(this.configFile, [
      'server:',
      '  host: 127.0.0.1',
      `  port: ${port}`,
      '  server_id: web-test-1',
      `  data_dir: ${JSON.stringify(path.join(dir, 'data'))}`,
      'auth:',
      '  allow_guests: true',
      '  jwt_secret: web-test-secret-0123456789abcdef',
      'presence:',
      '  client_moves: true',
      '  default_room: earth_arkhamcity_sanitarium_room_foyer_001',
      'nats:',
      `  url: ${natsUrl}`,
      'chat:',
      '  rate_limiting:',
      '    enabled: true',
      `    zone: ${zoneLimit}`,
      '  recovery:',
      `    max_messages: ${recoveryMaxMessages}`,
      '',
    ].join('\n'));
    this.child = null;
  }

  async start() {
    this.child = new Child('mythos-chatd', this.binary, ['--config', this.configFile], path.join(this.dir, 'mythos-chatd.log'));
    await waitFor(`mythos-chatd to answer ${this.url}/health`, async () => {
      if (!this.child.running) throw new Error(`mythos-chatd exited early:\n${this.child.tail(20)}`);
      const response = await fetch(`${this.url}/health`);
      return response.ok && (await response.json()).nats === 'connected';
    }, 30000, 200);
  }

  // Stops with SIGTERM; returns the exit code (0 is the documented clean shutdown).
  async stop() {
    const { code, signal } = await this.child.stop();
    return signal ? `signal ${signal}` : code;
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  token(sub, name, { role = 'player', ttl = 600 } = {}) {
    return execFileSync(this.binary, ['--config', this.configFile, 'token', '--sub', sub, '--name', name, '--role', role,
                                      '--ttl', String(ttl)],
      { encoding: 'utf8', timeout: 15000 }).trim();
  }
}

export async function launchBrowser(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });
}

export function makeTempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mythos-web-'));
}

export function logsOf(dir) {
  const out = [];
  for (const name of ['mythos-chatd.log', 'nats-server.log']) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    out.push(`--- ${name} (last 80 lines) ---`, ...lines.slice(-80));
  }
  return out.join('\n');
}

export async function stopAll() {
  await Promise.all([...children].map((c) => c.stop(5000)));
}

// Last resort when the script is ended or dies: no server may outlive the test.
process.on('exit', () => {
  for (const c of children) c.process.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const c of children) c.process.kill('SIGKILL');
    process.exit(1);
  });
}
