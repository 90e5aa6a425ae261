// Turns what the player typed into a request. Lines starting with "/" are commands: most go
// to the server as `command` frames (it parses them); /move, /party and /clear are the page's.
// For chat commands the page also works out channel, text and target, to show the player's
// own line once the server acknowledges it.

const ALIASES = { l: 'local', z: 'zone', g: 'global', p: 'party', me: 'emote' };
const NOT_CHAT = new Set(['mute', 'unmute', 'mutechannel', 'unmutechannel', 'mutes', 'help']);

export const PAGE_HELP = 'This page also knows: /move <room id>, /party <party id> (or /party leave), /clear '
  + '(empties the log). Plain text goes to the channel picked next to the box; Up and Down recall what you sent.';

function splitWord(text) {
  const m = /\s+/.exec(text);
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : [text, ''];
}

// Returns { frame, echo, channel } for the server, { page: 'clear' } for the page itself, or
// { error } when the line cannot be sent as it is.
export function interpret(line, { channel, target, channels, lastWhisperer }) {
  const text = line.trim();
  if (!text) return { error: 'Type a message first.' };
  if (!text.startsWith('/')) {
    if (channel === 'whisper' && !target) return { error: 'Whom do you want to whisper to? Fill in the name first.', focus: 'target' };
    const frame = { type: 'send', channel, content: text };
    if (channel === 'whisper') frame.target = target;
    return { frame, channel, echo: { channel, content: text, targetName: channel === 'whisper' ? target : undefined } };
  }
  const [first, rest] = splitWord(text.slice(1));
  const word = first.toLowerCase();
  const arg = rest.trim();
  if (word === 'clear') return { page: 'clear' };
  if (word === 'move') {
    if (!arg) return { error: 'Usage: /move <room id>' };
    return { frame: { type: 'move', room_id: arg } };
  }
  if (word === 'party') {
    if (!arg) return { error: 'Usage: /party <party id>, or /party leave' };
    const frame = { type: 'party', party_id: arg === 'leave' ? null : arg };
    return { frame };
  }
  const frame = { type: 'command', text };
  if (NOT_CHAT.has(word)) return { frame };
  if (word === 'w' || word === 'whisper' || word === 'tell') {
    const [to, content] = splitWord(rest);
    return { frame, channel: 'whisper', echo: { channel: 'whisper', content: content.trim(), targetName: to } };
  }
  if (word === 'r' || word === 'reply') {
    return { frame, channel: 'whisper', echo: { channel: 'whisper', content: arg, targetName: lastWhisperer } };
  }
  const named = ALIASES[word] || word;
  if (channels.includes(named)) return { frame, channel: named, echo: { channel: named, content: arg } };
  return { frame }; // unknown here: the server says what it thinks of it
}
