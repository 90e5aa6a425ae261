// The rate-limit line under the message box: how many messages the picked channel still
// allows this minute, and while a channel is cooling down, a countdown to when it opens again.

import { seconds, sendLabel } from './text.js';

export class RateBar {
  // refresh(): asks the server for a fresh rate_limit_status
  constructor(element, refresh) {
    this.element = element;
    this.refresh = refresh;
    this.status = {};     // channel -> { limit, remaining, resetAt (ms since epoch) }
    this.channel = null;
    this.timer = 0;
  }

  // `channels` as in the rate_limit_status event: { name: { limit, remaining, reset_ms } }
  update(channels) {
    const now = Date.now();
    this.status = {};
    for (const [name, s] of Object.entries(channels || {})) {
      this.status[name] = { limit: s.limit, remaining: s.remaining, resetAt: now + (s.reset_ms || 0) };
    }
    this.render();
  }

  // A rate_limited refusal: the channel is closed for retry_after_ms, whatever we knew before.
  refused(channel, retryAfterMs) {
    const known = this.status[channel] || { limit: 0 };
    this.status[channel] = { ...known, remaining: 0, resetAt: Date.now() + retryAfterMs };
    this.render();
  }

  show(channel) {
    this.channel = channel;
    this.render();
  }

  coolingDown(channel) {
    const s = this.status[channel];
    return s && s.remaining === 0 && s.resetAt > Date.now() ? s.resetAt - Date.now() : 0;
  }

  render() {
    clearTimeout(this.timer);
    const s = this.status[this.channel];
    if (!s || !s.limit) {
      this.element.textContent = '';
      this.element.dataset.level = 'ok';
      return;
    }
    const label = sendLabel(this.channel);
    const wait = this.coolingDown(this.channel);
    if (wait > 0) {
      this.element.dataset.level = 'blocked';
      this.element.textContent = `${label}: limit reached. You can send again in ${seconds(wait)} s.`;
      // Tick once a second; when the window opens, ask the server rather than guess.
      this.timer = setTimeout(() => (this.coolingDown(this.channel) > 0 ? this.render() : this.refresh()), Math.min(wait, 1000));
      return;
    }
    if (s.remaining === 0) { // the window has passed since we last asked
      this.element.dataset.level = 'ok';
      this.element.textContent = `${label}: ${s.limit} messages a minute.`;
      return;
    }
    this.element.dataset.level = s.remaining <= Math.max(2, Math.floor(s.limit / 5)) ? 'low' : 'ok';
    this.element.textContent = `${label}: ${s.remaining} of ${s.limit} left this minute.`;
  }
}
