// Words the page shows: channel names, the player's own lines, friendly errors and times.

const LABELS = {
  say: 'Room', emote: 'Emote', local: 'Local', zone: 'Zone', global: 'Global', party: 'Party',
  whisper: 'Whispers', system: 'System', admin: 'Staff',
};
const SEND_LABELS = { say: 'Say', whisper: 'Whisper' };
const TAG_LABELS = { whisper: 'Whisper' };

export function channelLabel(channel) {
  return LABELS[channel] || capitalize(channel);
}

// The short tag in front of each line.
export function tagLabel(channel) {
  return TAG_LABELS[channel] || channelLabel(channel);
}

// The composer's word for a channel ("Say" rather than the tab's "Room").
export function sendLabel(channel) {
  return SEND_LABELS[channel] || channelLabel(channel);
}

// The tab a channel's messages appear under: emotes happen in the room, like says.
export function tabOf(channel) {
  return channel === 'emote' ? 'say' : channel;
}

export function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

function sentence(text) {
  const t = capitalize((text || '').trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

// The line the player sees for their own message (the server never echoes it back).
export function ownLine({ channel, content, targetName, myName }) {
  switch (channel) {
    case 'say': return `You say: ${content}`;
    case 'emote': return `${myName} ${content}${/\p{P}$/u.test(content) ? '' : '.'}`;
    case 'whisper': return `You whisper to ${targetName || 'them'}: ${content}`;
    case 'system': return `[SYSTEM] ${content}`;
    case 'admin': return `[ADMIN] You: ${content}`;
    default: return `You (${channel}): ${content}`;
  }
}

export function seconds(ms) {
  return Math.max(1, Math.ceil(ms / 1000));
}

export function clockTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function dateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

// An `error` event's data as a sentence for the player; `channel` is what they tried to send on.
export function friendlyError(error, channel) {
  const message = error.message || '';
  const where = channel ? ` on ${sendLabel(channel)}` : '';
  switch (error.code) {
    case 'rate_limited':
      return `You're sending too fast${where}. You can send there again in ${seconds(error.retry_after_ms || 0)} s.`;
    case 'muted': {
      const reason = error.muted_until && message.includes(`${error.muted_until}: `)
        ? message.split(`${error.muted_until}: `)[1] : '';
      const until = error.muted_until ? `until ${dateTime(error.muted_until)}` : 'until a moderator lifts it';
      return `A moderator has muted you ${until}${reason ? ` (${reason})` : ''}.`;
    }
    case 'empty': return 'Type a message first.';
    case 'too_long': return `That message is too long: ${message.replace(/^message is /, '')}.`;
    case 'payload_too_large': return 'That message is far too long to send.';
    case 'unknown_target': return `${sentence(message)} Check the name, or try again when they are online.`;
    case 'forbidden': return `Not allowed: ${sentence(message)}`;
    case 'unavailable': return `That isn't available right now. ${sentence(message)}`;
    case 'internal': return 'Something went wrong on the server. Please try again.';
    case 'invalid_request':
      return /unknown command/i.test(message) ? `${sentence(message)} Type /help to see the commands.` : sentence(message);
    default: return sentence(message || 'Something went wrong');
  }
}

// Why the login was refused, in the player's words.
export function friendlyAuthError(message) {
  if (/guests are not allowed/.test(message)) return 'This server does not allow guests. Join with a token from the game.';
  if (/in use/.test(message)) return `${sentence(message)} Pick another name.`;
  if (/expired/i.test(message)) return 'Your token has expired. Get a new one from the game and join again.';
  if (/signature|token|malformed|alg/i.test(message)) return `That token was refused: ${sentence(message)}`;
  return sentence(message);
}

// Why messages are missing: a `resumed` reason (the page's own connection dropped) or a `gap`
// event's (the servers lost touch), so worded to fit both.
const UNRECOVERED = {
  too_many: 'too many were sent meanwhile',
  too_old: 'the break lasted too long',
  history_unavailable: "the server's history is unavailable",
  unknown_since: 'the server no longer knows the last message shown here',
};

// The gap marker's sentence. `from` / `to` (a `gap` event's span) are shown when known.
export function gapText(reason, { from, to } = {}) {
  const why = UNRECOVERED[reason] || (reason ? reason.replace(/_/g, ' ') : 'unknown reason');
  const span = clockTime(from) && clockTime(to) ? ` between ${clockTime(from)} and ${clockTime(to)}` : '';
  return `Some messages${span} could not be recovered (${why}).`;
}
