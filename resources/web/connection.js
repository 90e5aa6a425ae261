// One WebSocket to the chat server: `auth` as the first frame, `ref`s to match replies to
// requests, pings to notice a link that died silently, and reconnection with back-off.

const PING_EVERY_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export class Connection {
  // handlers: { state(name, info), welcome(data, again), event(type, data), authFailed(message) }
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.credentials = null;
    this.attempt = 0;
    this.nextRef = 1;
    this.waiting = new Map(); // ref -> callback(envelope or null when the link dropped)
    this.retryTimer = 0;
    this.pingTimer = 0;
    this.pongTimer = 0;
    this.stopped = true;
    this.welcomed = false;     // this connection has been welcomed
    this.everWelcomed = false; // any connection since start(): reconnects keep the session
    this.authError = null;
  }

  start(credentials) {
    this.stop();
    this.credentials = credentials;
    this.stopped = false;
    this.attempt = 0;
    this.everWelcomed = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.detach(1000, 'logged out');
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  get online() {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  // Sends a request; `onReply` gets the reply envelope with the same ref, or null when the
  // connection dropped first. Returns false when there is no connection to send on.
  request(frame, onReply) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    const ref = `r${this.nextRef++}`;
    if (onReply) this.waiting.set(ref, onReply);
    this.ws.send(JSON.stringify({ ...frame, ref }));
    return true;
  }

  open() {
    clearTimeout(this.retryTimer);
    this.welcomed = false;
    this.authError = null;
    this.handlers.state('connecting', { attempt: this.attempt });
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.handlers.authFailed(`Cannot open ${this.url}: ${e.message}`);
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', ref: 'auth', ...this.credentials }));
    ws.onmessage = (e) => this.onFrame(e.data);
    ws.onclose = (e) => {
      if (ws === this.ws) this.onClosed(e.code, e.reason);
    };
  }

  onFrame(text) {
    let envelope;
    try {
      envelope = JSON.parse(text);
    } catch {
      return; // the server only sends JSON; ignore anything else rather than fail
    }
    const type = envelope.event_type;
    const data = envelope.data || {};
    if (type === 'pong') clearTimeout(this.pongTimer);
    if (type === 'welcome' && !this.welcomed) {
      // A guest's key continues this session on the next reconnect (its whispers and mutes);
      // without it the server would treat the reconnect as a new guest of the same name.
      if (data.guest_key && this.credentials?.guest_name) this.credentials = { ...this.credentials, guest_key: data.guest_key };
      const again = this.everWelcomed;
      this.welcomed = this.everWelcomed = true;
      this.attempt = 0;
      this.schedulePing();
      this.handlers.state('online', {});
      this.handlers.welcome(data, again);
      return;
    }
    if (type === 'error' && !this.welcomed && data.code === 'unauthenticated') {
      this.authError = data.message || 'authentication failed';
      return; // the server closes the connection next
    }
    const callback = data.ref ? this.waiting.get(data.ref) : undefined;
    if (callback) {
      this.waiting.delete(data.ref);
      callback(envelope);
    }
    this.handlers.event(type, data, Boolean(callback));
  }

  schedulePing() {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (!this.request({ type: 'ping' })) return;
      this.pongTimer = setTimeout(() => this.detach(4000, 'no pong', true), PONG_TIMEOUT_MS);
      this.schedulePing();
    }, PING_EVERY_MS);
  }

  // Drops the current socket without waiting for a close handshake a dead link never completes.
  detach(code, reason, reconnect = false) {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // closing a socket that never opened throws in some browsers; it is gone either way
    }
    this.cleanUp();
    if (reconnect) this.scheduleRetry(0, reason);
  }

  cleanUp() {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const callback of waiting) callback(null);
  }

  onClosed(code, reason) {
    this.ws = null;
    this.cleanUp();
    if (this.stopped) return;
    // A refused login is final, except a guest name still held by our own dropped connection.
    const stillHeld = this.everWelcomed && /in use/.test(this.authError || '');
    if (this.authError && !stillHeld) {
      this.stopped = true;
      this.handlers.authFailed(this.authError);
      return;
    }
    this.scheduleRetry(code, reason);
  }

  scheduleRetry(code, reason) {
    if (this.stopped) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4)); // jitter: not all at once
    this.attempt += 1;
    this.handlers.state('waiting', { delay, attempt: this.attempt, code, reason });
    this.retryTimer = setTimeout(() => this.open(), delay);
  }
}
