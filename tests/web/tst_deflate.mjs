// permessage-deflate (RFC 7692) against a real mythos-chatd and nats-server, checked by an
// independent, strict client library (the npm package `ws`) and by raw bytes on the wire.
// Run by ctest as tst_web_deflate; by hand: MYTHOS_CHATD=build/server/mythos-chatd node tests/web/tst_deflate.mjs
// Exit 77 (ctest: skipped) when the npm packages are missing.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ChatServer, freePort, logsOf, makeTempDir, startNats, stopAll, waitFor } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!fs.existsSync(path.join(here, 'node_modules', 'ws'))) {
  console.log('SKIP: ws is not installed; run tests/web/setup.sh');
  process.exit(77);
}
const binary = process.env.MYTHOS_CHATD;
if (!binary || !fs.existsSync(binary)) {
  console.error(`MYTHOS_CHATD must name the mythos-chatd binary (got '${binary || ''}')`);
  process.exit(1);
}
const { default: WebSocket } = await import('ws');

const ANSWER = 'permessage-deflate; server_no_context_takeover; client_no_context_takeover';
let dir;
let server;
let failed = false;
const sockets = [];

// A `ws` client, logged in as a guest; `events` collects every event it receives.
async function guest(name, { deflate = true } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, {
    // threshold 0: `ws` compresses whatever we ask it to (its default skips messages < 1 KiB).
    perMessageDeflate: deflate ? { threshold: 0 } : false,
  });
  sockets.push(ws);
  ws.events = [];
  ws.closeInfo = null;
  ws.on('upgrade', (res) => { ws.extensionsHeader = res.headers['sec-websocket-extensions']; });
  ws.on('message', (data, isBinary) => { ws.events.push(JSON.parse(data.toString('utf8'))); });
  ws.on('close', (code, reason) => { ws.closeInfo = { code, reason: reason.toString() }; });
  ws.on('error', (e) => { ws.lastError = e; });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'auth', guest_name: name }), { compress: deflate });
  await waitFor(`${name}'s welcome`, () => ws.events.some((e) => e.event_type === 'welcome'));
  return ws;
}

function chatFrom(ws, sender) {
  return ws.events.filter((e) => e.event_type === 'chat_message' && e.data.sender_name === sender);
}

// A raw client: our own upgrade, frames read straight off the socket, nothing interpreted.
async function rawGuest(name, extensions) {
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const key = crypto.randomBytes(16).toString('base64');
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
               + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`
               + (extensions ? `Sec-WebSocket-Extensions: ${extensions}\r\n` : '') + '\r\n');
  const raw = { socket, buffer: Buffer.alloc(0), head: null, frames: [] };
  socket.on('data', (chunk) => {
    raw.buffer = Buffer.concat([raw.buffer, chunk]);
    if (!raw.head) {
      const end = raw.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      raw.head = raw.buffer.subarray(0, end).toString('latin1');
      raw.buffer = raw.buffer.subarray(end + 4);
    }
    for (;;) { // server frames: unmasked
      if (raw.buffer.length < 2) return;
      let length = raw.buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) { if (raw.buffer.length < 4) return; length = raw.buffer.readUInt16BE(2); offset = 4; }
      if (length === 127) { if (raw.buffer.length < 10) return; length = Number(raw.buffer.readBigUInt64BE(2)); offset = 10; }
      if (raw.buffer.length < offset + length) return;
      raw.frames.push({ b0: raw.buffer[0], payload: raw.buffer.subarray(offset, offset + length) });
      raw.buffer = raw.buffer.subarray(offset + length);
    }
  });
  await waitFor(`${name}'s handshake`, () => raw.head !== null);
  const text = Buffer.from(JSON.stringify({ type: 'auth', guest_name: name }));
  const mask = crypto.randomBytes(4);
  const frame = Buffer.concat([Buffer.from([0x81, 0x80 | text.length]), mask,
                               Buffer.from(text.map((b, i) => b ^ mask[i & 3]))]);
  socket.write(frame);
  raw.events = () => raw.frames.filter((f) => (f.b0 & 0x0f) === 1).map((f) => {
    const bytes = f.b0 & 0x40 ? zlib.inflateRawSync(Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]),
                                                        { finishFlush: zlib.constants.Z_SYNC_FLUSH })
                              : f.payload;
    return { compressed: Boolean(f.b0 & 0x40), event: JSON.parse(bytes.toString('utf8')) };
  });
  return raw;
}

describe('permessage-deflate', { timeout: 120000 }, () => {
  before(async () => {
    dir = makeTempDir();
    const nats = await startNats(dir);
    server = new ChatServer(binary, dir, nats.url, await freePort(), 10);
    await server.start();
  });

  after(async () => {
    for (const ws of sockets) ws.terminate();
    await stopAll();
    if (failed) console.log(logsOf(dir));
    else fs.rmSync(dir, { recursive: true, force: true });
  });

  test('negotiates, inflates compressed and plain sends, delivers compressed events in order', async (t) => {
    t.after(() => { if (t.passed === false) failed = true; });
    const alice = await guest('Alice');
    const bob = await guest('Bob');
    const carol = await guest('Carol', { deflate: false });
    const raw = await rawGuest('Dave', 'permessage-deflate; client_max_window_bits');
    const rawPlain = await rawGuest('Erin');

    assert.equal(alice.extensionsHeader, ANSWER);
    assert.match(alice.extensions, /^permessage-deflate/);
    assert.equal(carol.extensionsHeader, undefined, 'no offer, no extension');
    assert.equal(carol.extensions, '');
    assert.match(raw.head, /\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover(\r\n|$)/);
    assert.doesNotMatch(rawPlain.head, /Sec-WebSocket-Extensions/i);

    // Alternately compressed and plain; long enough that the server compresses its events.
    const contents = [];
    for (let i = 0; i < 4; ++i) {
      const content = `message ${i}: ${'the old ones stir beneath arkham tonight '.repeat(3)}`.trim();
      contents.push(content);
      alice.send(JSON.stringify({ type: 'send', channel: 'global', content, ref: `r${i}` }), { compress: i % 2 === 0 });
    }
    await waitFor('every ack', () => alice.events.filter((e) => e.event_type === 'ack').length === contents.length);
    assert.deepEqual(alice.events.filter((e) => e.event_type === 'error'), []);
    for (const receiver of [bob, carol]) {
      await waitFor('the messages at every receiver', () => chatFrom(receiver, 'Alice').length === contents.length);
      assert.deepEqual(chatFrom(receiver, 'Alice').map((e) => e.data.content), contents);
      const seqs = receiver.events.map((e) => e.sequence_number);
      assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), 'sequence numbers count up by one');
    }
    await waitFor('the raw clients\' messages', () => raw.events().filter((e) => e.event.event_type === 'chat_message').length === 4
                                                   && rawPlain.events().filter((e) => e.event.event_type === 'chat_message').length === 4);
    const onWire = raw.events().filter((e) => e.event.event_type === 'chat_message');
    assert.ok(onWire.every((e) => e.compressed), 'chat_message frames carry RSV1 on a deflate connection');
    assert.deepEqual(onWire.map((e) => e.event.data.content), contents);
    const seqs = raw.events().map((e) => e.event.sequence_number);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i));
    assert.ok(rawPlain.events().every((e) => !e.compressed), 'no RSV1 without the extension');
    assert.deepEqual(rawPlain.events().filter((e) => e.event.event_type === 'chat_message').map((e) => e.event.data.content),
                     contents);
    // Short replies go out plain even on a deflate connection (RSV1 clear is allowed per message).
    const pongs = raw.frames.length;
    raw.socket.write(Buffer.from([0x81, 0x80 | 15, 0, 0, 0, 0, ...Buffer.from('{"type":"ping"}')]));
    await waitFor('the pong', () => raw.events().some((e) => e.event.event_type === 'pong'));
    assert.ok(raw.frames.length > pongs);
    assert.equal(raw.events().find((e) => e.event.event_type === 'pong').compressed, false);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name) => Number(metrics.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1]);
    assert.ok(value('mythos_ws_deflate_connections_total') >= 3, metrics);
    assert.ok(value('mythos_ws_deflate_messages_sent_total{form="compressed"}') >= 12);
    assert.ok(value('mythos_ws_deflate_messages_received_total') >= 2);
    assert.ok(value('mythos_ws_deflate_bytes_total{stage="after"}') < value('mythos_ws_deflate_bytes_total{stage="before"}'));
    raw.socket.destroy();
    rawPlain.socket.destroy();
  });

  test('a decompression bomb is closed with 1009 while inflating', async (t) => {
    t.after(() => { if (t.passed === false) failed = true; });
    const mallory = await guest('Mallory');
    // 8 MiB of spaces, a few KiB compressed: over the 4 x nats.max_payload bound once inflated.
    mallory.send(JSON.stringify({ type: 'send', channel: 'global', content: ' '.repeat(8 << 20) }), { compress: true });
    await waitFor('the close', () => mallory.closeInfo !== null);
    assert.equal(mallory.closeInfo.code, 1009);
    assert.match(mallory.closeInfo.reason, /too big/);
  });
});
