// The message log: chat lines kept in message_id order (ids sort in acceptance order), one
// channel tab shown at a time, lines of muted players or channels hidden, notices in between.
// It also remembers the newest message_id it was given: where a resume picks up.

import { clockTime, ownLine, tabOf, tagLabel } from './text.js';

const MAX_LINES = 1000; // a long session must not grow the page without bound

export class MessageLog {
  // options: { onSender(button, sender) }
  constructor(list, options) {
    this.list = list;
    this.options = options;
    this.me = null;            // { id, name }
    this.lines = new Map();    // message_id -> <li>
    this.newestId = '';        // never goes back while logged in: /clear and deletions keep it
    this.tab = 'all';
    this.mutedPlayers = new Set();
    this.mutedChannels = new Set();
    // Follow the newest line while the reader is at the end, also when the panel shrinks
    // (the message box grows a line, a phone keyboard opens); leave them alone when scrolled up.
    this.stuck = true;
    const panel = list.parentElement;
    panel.addEventListener('scroll', () => { this.stuck = this.nearEnd(); }, { passive: true });
    new ResizeObserver(() => { if (this.stuck) this.scrollToEnd(); }).observe(panel);
  }

  setPlayer(me) {
    this.me = me;
  }

  // Adds a chat_message (live, from history, resumed or late). Returns the line, or null for a
  // duplicate. `mark` ('resumed' or 'late') says it did not arrive the usual way.
  addMessage(data, { live = false, mark = '' } = {}) {
    if (!data.message_id || this.lines.has(data.message_id)) return null;
    const li = this.render(data);
    li.dataset.id = data.message_id;
    this.lines.set(data.message_id, li);
    this.hold(data.message_id);
    this.insertInOrder(li);
    if (live) li.classList.add('fresh');
    if (mark) li.classList.add(mark);
    // A late line lands among older ones; the tag says why it was not there before.
    if (mark === 'late') li.append(tag('late', 'arrived late'));
    this.trim();
    return li;
  }

  // The player's own line before the server acknowledged it; `confirm` gives it its id.
  addPending({ channel, content, targetName }) {
    const data = { channel, content, target_name: targetName, sender_id: this.me.id, sender_name: this.me.name,
                   timestamp: new Date().toISOString() };
    const li = this.render(data);
    li.classList.add('pending');
    this.list.append(li);
    this.scrollToEnd();
    return {
      confirm: (ack) => {
        li.classList.remove('pending');
        if (ack.held) li.append(tag('held', 'waiting for a moderator'));
        else if (ack.filtered) li.append(tag('filtered', 'some words were masked for others'));
        if (this.lines.has(ack.message_id)) return li.remove(); // history got there first
        li.dataset.id = ack.message_id;
        this.lines.set(ack.message_id, li);
        this.hold(ack.message_id);
      },
      fail: () => li.remove(),
    };
  }

  addNotice(text, kind = 'info') {
    const li = document.createElement('li');
    li.className = `notice-line ${kind}`;
    li.dataset.tab = 'notice';
    const time = document.createElement('time');
    time.dateTime = new Date().toISOString();
    time.textContent = clockTime(time.dateTime);
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    li.append(time, body);
    this.list.append(li);
    this.trim();
    this.scrollToEnd();
    return li;
  }

  // The marker for messages the server could not give back (a gap in the log).
  addGap(text) {
    return this.addNotice(text, 'gap');
  }

  hold(messageId) {
    if (messageId > this.newestId) this.newestId = messageId;
  }

  remove(messageId) {
    this.lines.get(messageId)?.remove();
    this.lines.delete(messageId);
  }

  showTab(tab) {
    this.tab = tab;
    this.list.dataset.tab = tab;
    for (const li of this.list.children) this.applyVisibility(li);
    this.scrollToEnd();
  }

  setMutes(mutes) {
    this.mutedPlayers = new Set(mutes.filter((m) => m.target_type === 'player').map((m) => m.target));
    this.mutedChannels = new Set(mutes.filter((m) => m.target_type === 'channel').map((m) => m.target));
    for (const li of this.list.children) this.applyVisibility(li);
  }

  applyVisibility(li) {
    const muted = this.mutedPlayers.has(li.dataset.sender) || this.mutedChannels.has(li.dataset.channel);
    li.classList.toggle('muted', muted);
    const inTab = this.tab === 'all' || li.dataset.tab === this.tab || li.dataset.tab === 'notice';
    li.hidden = muted || !inTab;
  }

  render(data) {
    const li = document.createElement('li');
    const own = this.me && data.sender_id === this.me.id;
    li.className = `msg ch-${cssToken(data.channel)}${own ? ' own' : ''}`;
    li.dataset.channel = data.channel;
    li.dataset.tab = tabOf(data.channel);
    li.dataset.sender = data.sender_id || '';

    const time = document.createElement('time');
    time.dateTime = data.timestamp || '';
    time.textContent = clockTime(data.timestamp);
    time.title = data.timestamp ? new Date(data.timestamp).toLocaleString() : '';

    const chan = document.createElement('span');
    chan.className = 'chan';
    chan.textContent = tagLabel(data.channel);
    chan.title = `${data.channel} channel`;

    const text = document.createElement('span');
    text.className = 'text';
    if (own) {
      text.textContent = ownLine({ channel: data.channel, content: data.content, targetName: data.target_name,
                                   myName: this.me.name });
    } else {
      this.renderWithSender(text, data);
    }
    li.append(time, chan, text);
    if (data.filtered && !own) li.append(tag('filtered', 'masked'));
    this.applyVisibility(li);
    return li;
  }

  // The server's ready-to-print line, with the sender's name as a button for their actions.
  renderWithSender(text, data) {
    const line = data.message || `${data.sender_name}: ${data.content}`;
    const name = data.sender_name || '';
    const at = name && data.sender_id && data.sender_id !== 'system' ? line.indexOf(name) : -1;
    if (at < 0 || at > 8) { // only a name that starts the line (or follows "[ADMIN] ")
      text.textContent = line;
      return;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sender';
    button.textContent = name;
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-label', `${name}: actions`);
    button.addEventListener('click', () => this.options.onSender(button, { id: data.sender_id, name }));
    text.append(line.slice(0, at), button, line.slice(at + name.length));
  }

  insertInOrder(li) {
    // Live messages belong at the end; history slots in before the first line that sorts later
    // (notices and pending lines carry no id and stay where they were shown).
    const id = li.dataset.id;
    let firstLater = null;
    for (let node = this.list.lastElementChild; node; node = node.previousElementSibling) {
      if (!node.dataset.id) continue;
      if (node.dataset.id <= id) break;
      firstLater = node;
    }
    this.list.insertBefore(li, firstLater);
    if (this.stuck) this.scrollToEnd();
  }

  trim() {
    while (this.list.children.length > MAX_LINES) {
      const first = this.list.firstElementChild;
      if (first.dataset.id) this.lines.delete(first.dataset.id);
      first.remove();
    }
  }

  nearEnd() {
    const panel = this.list.parentElement;
    return panel.scrollHeight - panel.scrollTop - panel.clientHeight < 80;
  }

  scrollToEnd() {
    const panel = this.list.parentElement;
    panel.scrollTop = panel.scrollHeight;
    this.stuck = true;
  }

  clear() {
    this.list.replaceChildren();
    this.lines.clear();
  }

  // A new login: nothing is held any more, so nothing is resumed.
  reset() {
    this.clear();
    this.newestId = '';
  }
}

function tag(kind, text) {
  const span = document.createElement('span');
  span.className = `tag tag-${kind}`;
  span.textContent = text;
  return span;
}

function cssToken(name) {
  return String(name || 'unknown').replace(/[^A-Za-z0-9_-]/g, '_');
}
