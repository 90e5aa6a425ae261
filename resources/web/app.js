// Mythos Chat player page: wires the login form, the connection, the tabs, the log and the
// message box together. Protocol: PROTOCOL.md §3 and docs/protocol.md; this page: docs/web.md.

import { Connection } from './connection.js';
import { interpret, PAGE_HELP } from './commands.js';
import { LoginForm } from './login.js';
import { MessageLog } from './messages.js';
import { RateBar } from './ratebar.js';
import { SenderMenu } from './sendermenu.js';
import { Tabs } from './tabs.js';
import { friendlyError, gapText, sendLabel, seconds, tabOf } from './text.js';

const $ = (id) => document.getElementById(id);
const HISTORY_LIMIT = 50;
const NOTICE_MS = 12000;

const ui = {
  loginView: $('login-view'), chatView: $('chat-view'), conn: $('conn'), connText: $('conn-text'),
  reconnectNow: $('reconnect-now'), who: $('who'), whoName: $('who-name'), whoRoom: $('who-room'),
  logout: $('logout'), log: $('log'), composer: $('composer'), channel: $('channel'), target: $('target'),
  message: $('message'), notice: $('notice'), replyChip: $('reply-chip'), knownPlayers: $('known-players'),
  mutes: $('mutes'), mutesSummary: $('mutes-summary'), mutesList: $('mutes-list'),
};

const state = {
  me: null,            // welcome data
  credentials: null,
  sendable: [],        // channels this player may send on
  lastWhisperer: null, // display name of whoever whispered last
  mutes: [],
  sent: [],            // lines sent, for Up / Down recall
  recall: -1,
  known: new Set(),
};

const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const connection = new Connection(url, {
  state: showConnection,
  welcome: onWelcome,
  event: onEvent,
  authFailed: (message) => {
    showView('login');
    login.refused(message, state.credentials);
  },
});
const login = new LoginForm((credentials) => {
  state.credentials = credentials;
  showConnection('connecting', { attempt: 0 });
  connection.start(credentials);
});
const log = new MessageLog(ui.log, { onSender: openSenderMenu });
const tabs = new Tabs($('tabs'), $('log-panel'), (tab) => {
  log.showTab(tab);
  if (state.sendable.includes(tab)) pickChannel(tab);
});
const rateBar = new RateBar($('ratebar'), refreshRateStatus);
const menu = new SenderMenu($('sender-menu'));

// --- connection -----------------------------------------------------------------------------

function showConnection(name, info) {
  ui.conn.dataset.state = name;
  ui.reconnectNow.hidden = name !== 'waiting';
  if (name === 'connecting') ui.connText.textContent = info.attempt ? 'Reconnecting…' : 'Connecting…';
  else if (name === 'online') ui.connText.textContent = 'Connected';
  else if (name === 'waiting') ui.connText.textContent = `Connection lost. Retrying in ${seconds(info.delay)} s…`;
  else ui.connText.textContent = 'Not connected';
}

function onWelcome(data, again) {
  state.me = data;
  state.sendable = data.channels || [];
  log.setPlayer({ id: data.player_id, name: data.player_name });
  ui.whoName.textContent = data.player_name;
  showRoom(data.room_id);
  if (!again) {
    log.reset();
    const readable = [...new Set([...state.sendable, 'system'].map(tabOf))];
    tabs.setTabs(readable);
    fillChannels();
    showView('chat');
    ui.message.focus();
  } else {
    log.addNotice('Reconnected.', 'info');
  }
  // After a drop, ask for exactly what was missed; history only on a fresh login, or when
  // nothing was held yet to resume from.
  if (again && log.newestId) resume(log.newestId);
  else loadHistory();
  connection.request({ type: 'mutes' }, (reply) => reply && onMutes(reply.data));
  refreshRateStatus();
}

function onEvent(type, data, answered) {
  switch (type) {
    case 'chat_message': return onChatMessage(data, data.late ? 'late' : '');
    case 'gap': return log.addGap(gapText(data.reason, data));
    case 'message_deleted': return log.remove(data.message_id);
    case 'presence':
      showRoom(data.room_id);
      if (!answered) log.addNotice(data.room_id ? `You are now in ${data.room_id}.` : 'You left the room.');
      return loadHistory(['say', 'emote', 'local', 'zone', 'party']);
    case 'error':
      if (!answered) showNotice(friendlyError(data));
      return undefined;
    case 'command_response':
      if (!answered) log.addNotice(data.result);
      return undefined;
    default: return undefined;
  }
}

// `mark`: '' for a live message, 'resumed' or 'late' for one that missed its moment; both are
// merged by message_id like history, and still count as unread.
function onChatMessage(data, mark = '') {
  const line = log.addMessage(data, { live: !mark, mark });
  if (!line) return;
  tabs.add(tabOf(data.channel));
  tabs.arrived(tabOf(data.channel));
  rememberPlayer(data.sender_name, data.sender_id);
  // A late whisper is older than what is on screen: it must not take over the reply button.
  if (data.channel === 'whisper' && data.sender_id !== state.me.player_id && mark !== 'late') {
    state.lastWhisperer = data.sender_name;
    ui.replyChip.textContent = `Reply to ${data.sender_name}`;
    ui.replyChip.hidden = false;
  }
}

function loadHistory(only) {
  const channels = only || [...new Set([...state.sendable, 'system'])];
  let outstanding = 0;
  for (const channel of channels) {
    if (!state.sendable.includes(channel) && channel !== 'system') continue;
    const asked = connection.request({ type: 'history', channel, limit: HISTORY_LIMIT }, (reply) => {
      if (reply?.event_type === 'history') {
        for (const m of reply.data.messages || []) {
          log.addMessage(m);
          rememberPlayer(m.sender_name, m.sender_id);
        }
        if (reply.data.messages?.length) tabs.add(tabOf(channel));
      }
      if (--outstanding === 0) ui.log.removeAttribute('aria-busy');
    });
    if (asked) outstanding += 1;
  }
  // Screen readers hold back the burst of old lines while the log is busy.
  if (outstanding) ui.log.setAttribute('aria-busy', 'true');
}

// PROTOCOL §3 Recovery: what this player missed after `since`, oldest first. The list may
// start a little before `since` (the clock window); addMessage drops what is already shown.
function resume(since) {
  const asked = connection.request({ type: 'resume', since }, (reply) => {
    ui.log.removeAttribute('aria-busy');
    if (!reply) return; // dropped again: the next reconnect resumes from the same point
    if (reply.event_type !== 'resumed') {
      loadHistory(); // refused (e.g. unavailable): the last lines per channel, as before resume existed
      return;
    }
    for (const m of reply.data.messages || []) onChatMessage(m, 'resumed');
    if (reply.data.recovered === false) log.addGap(gapText(reply.data.reason));
  });
  if (asked) ui.log.setAttribute('aria-busy', 'true');
}

function refreshRateStatus() {
  connection.request({ type: 'rate_limit_status' }, (reply) => {
    if (reply?.event_type === 'rate_limit_status') rateBar.update(reply.data.channels);
  });
}

// --- sending --------------------------------------------------------------------------------

function submit() {
  const text = ui.message.value;
  const target = ui.target.value.trim();
  const request = interpret(text, { channel: ui.channel.value, target, channels: state.sendable,
                                    lastWhisperer: state.lastWhisperer });
  if (request.error) {
    showNotice(request.error);
    (request.focus === 'target' ? ui.target : ui.message).focus();
    return;
  }
  if (request.page === 'clear') {
    log.clear();
    ui.message.value = '';
    return;
  }
  if (!connection.online) {
    showNotice('You are offline; nothing was sent. Your text is still in the box.');
    return;
  }
  const pending = request.echo ? log.addPending(request.echo) : null;
  connection.request(request.frame, (reply) => onReply(reply, request, pending, text));
  rememberSent(text);
  ui.message.value = '';
}

function onReply(reply, request, pending, text) {
  if (!reply) {
    pending?.fail();
    restoreText(text);
    showNotice('Not sent: the connection dropped. Your text is back in the box; send it again once reconnected.');
    return;
  }
  const { event_type: type, data } = reply;
  if (type === 'ack') {
    pending?.confirm(data);
    hideNotice();
    refreshRateStatus();
  } else if (type === 'error') {
    pending?.fail();
    if (data.code === 'rate_limited' && request.channel) rateBar.refused(request.channel, data.retry_after_ms || 0);
    if (data.code !== 'unauthenticated') restoreText(text);
    showNotice(friendlyError(data, request.channel));
  } else if (type === 'command_response') {
    log.addNotice(/^\s*\/?help\b/i.test(text) ? `${data.result}\n${PAGE_HELP}` : data.result);
    if (/^\s*\/(un)?mute/i.test(text)) connection.request({ type: 'mutes' }, (r) => r && onMutes(r.data));
  }
}

function restoreText(text) {
  if (!ui.message.value) ui.message.value = text;
}

function rememberSent(text) {
  if (state.sent[state.sent.length - 1] !== text) state.sent.push(text);
  if (state.sent.length > 50) state.sent.shift();
  state.recall = -1;
}

function recall(step) {
  if (!state.sent.length) return;
  const last = state.sent.length - 1;
  let at = state.recall < 0 ? (step < 0 ? last : -1) : state.recall + step;
  if (at > last) at = -1;
  state.recall = Math.max(-1, at);
  ui.message.value = state.recall < 0 ? '' : state.sent[state.recall];
}

function fillChannels() {
  const current = ui.channel.value || 'say';
  ui.channel.replaceChildren(...state.sendable.map((name) => new Option(sendLabel(name), name)));
  pickChannel(state.sendable.includes(current) ? current : state.sendable[0]);
}

function pickChannel(channel) {
  ui.channel.value = channel;
  const whisper = channel === 'whisper';
  ui.target.hidden = !whisper;
  ui.message.placeholder = whisper ? 'Whisper something…' : channel === 'emote' ? 'Do something (waves)…'
    : `${sendLabel(channel)}: type here, or /help`;
  rateBar.show(channel);
}

function whisperTo(name) {
  pickChannel('whisper');
  ui.target.value = name;
  ui.message.focus();
}

function rememberPlayer(name, id) {
  if (!name || !id || id === 'system' || id === state.me?.player_id || state.known.has(name)) return;
  state.known.add(name);
  ui.knownPlayers.append(new Option(name));
}

// --- mutes and the sender menu --------------------------------------------------------------

function openSenderMenu(button, sender) {
  const muted = state.mutes.some((m) => m.target_type === 'player' && m.target === sender.id);
  menu.open(button, sender.name, [
    { label: `Whisper to ${sender.name}`, action: () => whisperTo(sender.name) },
    muted ? { label: `Unmute ${sender.name}`, action: () => setMute(false, 'player', sender.id, sender.name) }
      : { label: `Mute ${sender.name}`, action: () => setMute(true, 'player', sender.id, sender.name) },
  ]);
}

function setMute(on, targetType, target, name) {
  const sent = connection.request({ type: on ? 'mute' : 'unmute', target_type: targetType, target }, (reply) => {
    if (!reply) return showNotice('Not done: the connection dropped.');
    if (reply.event_type === 'error') return showNotice(friendlyError(reply.data));
    onMutes(reply.data);
    const what = targetType === 'channel' ? `the ${sendLabel(target)} channel` : name;
    log.addNotice(on ? `You muted ${what}. Their lines are hidden; unmute under "Muted".` : `You unmuted ${what}.`);
    return undefined;
  });
  if (!sent) showNotice('You are offline; try again once reconnected.');
  ui.message.focus();
}

function onMutes(data) {
  if (!Array.isArray(data?.mutes)) return;
  state.mutes = data.mutes;
  log.setMutes(state.mutes);
  ui.mutes.hidden = state.mutes.length === 0;
  ui.mutesSummary.textContent = `Muted (${state.mutes.length})`;
  ui.mutesList.replaceChildren(...state.mutes.map((m) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    const label = m.target_type === 'channel' ? `${sendLabel(m.target)} channel` : m.target_name || m.target;
    name.textContent = label;
    if (m.muted_until) name.title = `until ${new Date(m.muted_until).toLocaleString()}`;
    const undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'quiet-button';
    undo.textContent = 'Unmute';
    undo.setAttribute('aria-label', `Unmute ${label}`);
    undo.addEventListener('click', () => setMute(false, m.target_type, m.target, label));
    li.append(name, undo);
    return li;
  }));
}

// --- page chrome ----------------------------------------------------------------------------

let noticeTimer = 0;
function showNotice(text) {
  clearTimeout(noticeTimer);
  ui.notice.textContent = text;
  ui.notice.hidden = false;
  noticeTimer = setTimeout(hideNotice, NOTICE_MS);
}

function hideNotice() {
  clearTimeout(noticeTimer);
  ui.notice.hidden = true;
  ui.notice.textContent = '';
}

function showRoom(room) {
  ui.whoRoom.textContent = room || 'no room';
}

function showView(view) {
  const chat = view === 'chat';
  ui.chatView.hidden = !chat;
  ui.loginView.hidden = chat;
  ui.who.hidden = !chat;
  if (!chat) {
    menu.close(false);
    showConnection('offline', {});
  }
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});
ui.channel.addEventListener('change', () => pickChannel(ui.channel.value));
ui.message.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
    e.preventDefault();
    recall(e.key === 'ArrowUp' ? -1 : 1);
  } else if (e.key === 'Escape') {
    hideNotice();
  }
});
ui.replyChip.addEventListener('click', () => whisperTo(state.lastWhisperer));
// The mute list is a disclosure: Escape or a click elsewhere folds it.
ui.mutes.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && ui.mutes.open) {
    ui.mutes.open = false;
    ui.mutesSummary.focus();
  }
});
document.addEventListener('pointerdown', (e) => {
  if (ui.mutes.open && !ui.mutes.contains(e.target)) ui.mutes.open = false;
});
ui.reconnectNow.addEventListener('click', () => connection.reconnectNow());
ui.logout.addEventListener('click', () => {
  connection.stop();
  login.forget();
  state.credentials = null;
  state.mutes = [];
  ui.replyChip.hidden = true;
  showView('login');
  login.focus();
});
// "/" jumps to the message box from anywhere that is not a text field.
document.addEventListener('keydown', (e) => {
  const typing = e.target.closest?.('input, textarea, select, [contenteditable]');
  if (e.key === '/' && !typing && !ui.chatView.hidden && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    ui.message.focus();
  }
});

showView('login');
login.resume();
