// End-to-end tests of the player web page: headless Chromium (Debian's, driven by
// playwright-core) against a real mythos-chatd and nats-server on loopback.
// Run by ctest as tst_web; by hand: MYTHOS_CHATD=build/server/mythos-chatd node tests/web/tst_web.mjs
// Exit 77 (ctest: skipped) when the npm packages or Chromium are missing.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ChatServer, CHROMIUM, freePort, launchBrowser, logsOf, makeTempDir, startNats, stopAll } from './harness.mjs';
import { Relay } from './relay.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SKIP = 77;
const ZONE_LIMIT = 3;
const RECOVERY_MAX = 8; // chat.recovery.max_messages: a resume after more than this reports too_many
const WAIT_MS = 10000;
const OVERALL_MS = 240000; // below ctest's TIMEOUT, so cleanup runs before anything is killed

if (Number(process.versions.node.split('.')[0]) < 20) {
  console.log(`SKIP: playwright-core needs Node.js 20 or newer; this is ${process.version}`);
  process.exit(SKIP);
}
if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  console.log('SKIP: playwright-core is not installed; run tests/web/setup.sh');
  process.exit(SKIP);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  process.exit(SKIP);
}
const binary = process.env.MYTHOS_CHATD;
if (!binary || !fs.existsSync(binary)) {
  console.error(`MYTHOS_CHATD must name the mythos-chatd binary (got '${binary || ''}')`);
  process.exit(1);
}
const { chromium } = await import('playwright-core');

const watchdog = setTimeout(async () => {
  console.error(`tst_web: still running after ${OVERALL_MS / 1000} s; stopping everything`);
  await stopAll();
  process.exit(1);
}, OVERALL_MS);
watchdog.unref();

const ROOM = 'earth_arkhamcity_sanitarium_room_foyer_001';
let dir;
let server;
let browser;
let relay; // between the resume tests' page and the server
let failed = false;
const pages = [];

// --- helpers ----------------------------------------------------------------------------------

// `routeSocket(route)`, when given, sees every WebSocket the page opens (page.routeWebSocket).
// `beforeGoto(page)`, when given, runs before the page loads (to watch its first WebSocket).
async function openPage({ width = 1280, height = 800, mobile = false, url = server.url, routeSocket, beforeGoto } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile,
                                             deviceScaleFactor: mobile ? 2 : 1, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.setDefaultTimeout(WAIT_MS);
  // Every frame the page sends and gets, parsed, to check what it asked for and was told.
  page.sentFrames = [];
  page.receivedFrames = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => page.sentFrames.push(JSON.parse(f.payload)));
    ws.on('framereceived', (f) => page.receivedFrames.push(JSON.parse(f.payload)));
  });
  if (routeSocket) await page.routeWebSocket(/\/ws$/, routeSocket);
  if (beforeGoto) await beforeGoto(page);
  await page.goto(url);
  pages.push(page);
  return page;
}

async function joinAsGuest(name, options) {
  const page = await openPage(options);
  await page.fill('#guest-name', name);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#chat-view:not([hidden])');
  await page.waitForSelector('#conn[data-state="online"]');
  page.playerName = name;
  return page;
}

function line(page, text) {
  return page.locator('#log li:not([hidden])', { hasText: text });
}

async function seeLine(page, text) {
  await line(page, text).first().waitFor({ state: 'visible' });
}

async function type(page, text) {
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
}

// Sends and waits until the server acknowledged it (the line loses its pending look).
async function send(page, text, expectLine) {
  await type(page, text);
  await page.locator('#log li.own:not(.pending)', { hasText: expectLine }).last().waitFor();
}

async function openSender(page, name) {
  await line(page, `${name} `).locator('button.sender', { hasText: name }).last().click();
  await page.waitForSelector('#sender-menu:not([hidden])');
}

// The text of every visible chat line in the log from `sender`, top to bottom.
async function linesFrom(page, sender) {
  return page.locator(`#log li.msg[data-sender="guest-${sender.toLowerCase()}"]:not([hidden]) .text`).allInnerTexts();
}

// `cut`: the test cut this page's connection, so the browser's own console lines about the
// failed reconnection attempts are expected; anything else is still an error.
function noErrors(page, { cut = false } = {}) {
  const errors = cut ? page.errors.filter((e) => !/^WebSocket connection to '\S+' failed/.test(e)) : page.errors;
  assert.deepEqual(errors, [], `page errors in ${page.playerName || 'a page'}`);
}

// --- setup ------------------------------------------------------------------------------------

describe('player web page', { timeout: OVERALL_MS }, () => {
  before(async () => {
    dir = makeTempDir();
    const nats = await startNats(dir);
    server = new ChatServer(binary, dir, nats.url, await freePort(), ZONE_LIMIT, { recoveryMaxMessages: RECOVERY_MAX });
    await server.start();
    browser = await launchBrowser(chromium);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await relay?.close();
    const exit = server ? await server.stop().catch((e) => e.message) : 0;
    if (exit !== 0) console.log(`note: mythos-chatd exit status after SIGTERM: ${exit}`);
    if (failed) console.log(logsOf(dir));
    await stopAll();
    if (dir && !process.env.MYTHOS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
  });

  // Wraps a test so a failure also prints the servers' logs at the end.
  const check = (name, fn) => test(name, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      throw e;
    }
  });

  // --- the HTTP side ---------------------------------------------------------------------------

  check('serves the page and its files with types and validators; 404 JSON otherwise', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(await index.text(), /<title>Mythos Chat<\/title>/);
    const etag = index.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]+"$/);

    const again = await fetch(`${server.url}/index.html`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304, 'a matching ETag is answered with 304');

    for (const [file, type] of [['app.js', 'text/javascript'], ['style.css', 'text/css'], ['icon.svg', 'image/svg+xml']]) {
      const r = await fetch(`${server.url}/${file}`);
      assert.equal(r.status, 200, file);
      assert.match(r.headers.get('content-type'), new RegExp(`^${type.replace('+', '\\+')}`), file);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
    // (fetch normalises plain '/../'; encoded separators and resource paths reach the server as sent)
    for (const bad of ['/nope.js', '/..%2f..%2fetc%2fpasswd', '/%2e%2e%2fserver_config.yaml', '/appXjs',
                       '/:/mythos/server_config.yaml', '/server_config.yaml', '/index.html/']) {
      const r = await fetch(`${server.url}${bad}`);
      assert.equal(r.status, 404, bad);
      assert.match(r.headers.get('content-type'), /^application\/json/, bad);
      const body = await r.json();
      assert.equal(body.error.code, 'not_found', bad);
      assert.equal(typeof body.error.message, 'string');
    }
    assert.equal((await fetch(`${server.url}/health`)).status, 200, 'the page does not shadow /health');
  });

  // --- chatting --------------------------------------------------------------------------------

  check('two guests chat in a room, whisper and reply', async () => {
    const alice = await joinAsGuest('Alice');
    const bob = await joinAsGuest('Bob');
    assert.equal(await alice.locator('#who-room').innerText(), ROOM);

    await send(alice, 'hello from Alice', 'You say: hello from Alice');
    await seeLine(bob, 'Alice says: hello from Alice');

    await send(bob, '/me waves back', 'Bob waves back.');
    await seeLine(alice, 'Bob waves back.');

    // Whisper from the sender's menu; the reply chip answers it.
    await openSender(bob, 'Alice');
    await bob.getByRole('menuitem', { name: 'Whisper to Alice' }).click();
    assert.equal(await bob.inputValue('#channel'), 'whisper');
    assert.equal(await bob.inputValue('#target'), 'Alice');
    await send(bob, 'psst, Alice', 'You whisper to Alice: psst, Alice');
    await seeLine(alice, 'Bob whispers to you: psst, Alice');
    await alice.click('#reply-chip');
    await send(alice, 'hi Bob', 'You whisper to Bob: hi Bob');
    await seeLine(bob, 'Alice whispers to you: hi Bob');
    await send(bob, '/r and back', 'You whisper to Alice: and back');
    await seeLine(alice, 'Bob whispers to you: and back');

    // Channel tabs filter the log; a hidden tab counts what arrives in it.
    await alice.getByRole('tab', { name: 'Room' }).click();
    await send(bob, '/g anyone in Arkham?', 'You (global): anyone in Arkham?');
    await alice.waitForSelector('#tab-global .badge:not([hidden])');
    assert.equal(await alice.locator('#tab-global .badge').innerText(), '1');
    assert.equal(await line(alice, 'anyone in Arkham?').count(), 0, 'the Room tab hides global lines');
    await alice.getByRole('tab', { name: /Global/ }).click();
    await seeLine(alice, 'Bob (global): anyone in Arkham?');
    assert.equal(await line(alice, 'hello from Alice').count(), 0, 'the Global tab hides room lines');
    await alice.getByRole('tab', { name: 'All' }).click();
    await seeLine(alice, 'hello from Alice');

    // Friendly errors: unknown whisper target, unknown command.
    await type(alice, '/w Nobody hello?');
    await alice.waitForSelector('#notice:not([hidden])');
    assert.match(await alice.locator('#notice').innerText(), /No player named 'Nobody' is online\. Check the name/);
    await type(alice, '/dance');
    await alice.waitForFunction(() => /Type \/help/.test(document.querySelector('#notice').textContent));
    await type(alice, '/help');
    await seeLine(alice, '/move <room id>');
    noErrors(alice);
    noErrors(bob);
  });

  check('Chromium negotiates permessage-deflate and chats over it', async () => {
    // The handshake as the browser saw it, from the DevTools protocol.
    const handshakes = [];
    const watch = async (page) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.webSocketHandshakeResponseReceived', (e) => handshakes.push(e.response));
    };
    const zed = await joinAsGuest('Zed', { beforeGoto: watch });
    const yara = await joinAsGuest('Yara', { beforeGoto: watch });
    assert.equal(handshakes.length, 2);
    for (const response of handshakes) {
      const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      assert.equal(headers['sec-websocket-extensions'],
                   'permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    }
    const text = `compressed hello ${'from the deep ones '.repeat(4)}`.trim();
    await send(zed, text, text);
    await seeLine(yara, text);
    noErrors(zed);
    noErrors(yara);
    await zed.context().close();
    await yara.context().close();
  });

  check('the rate limit shows what is left and a friendly cool-down', async () => {
    const carol = await joinAsGuest('Carol');
    await carol.selectOption('#channel', 'zone');
    await carol.waitForFunction((limit) => document.querySelector('#ratebar').textContent
      === `Zone: ${limit} of ${limit} left this minute.`, ZONE_LIMIT);
    for (let i = 1; i <= ZONE_LIMIT; i++) await send(carol, `zone message ${i}`, `You (zone): zone message ${i}`);
    await carol.waitForSelector('#ratebar[data-level="blocked"]');
    assert.match(await carol.locator('#ratebar').innerText(), /^Zone: limit reached\. You can send again in \d+ s\.$/);

    await type(carol, 'one too many');
    await carol.waitForSelector('#notice:not([hidden])');
    assert.match(await carol.locator('#notice').innerText(), /^You're sending too fast on Zone\. You can send there again in \d+ s\.$/);
    assert.equal(await carol.inputValue('#message'), 'one too many', 'the refused text is back in the box');
    assert.equal(await line(carol, 'one too many').count(), 0, 'a refused message is not shown as sent');

    // Other channels are not affected.
    await carol.selectOption('#channel', 'say');
    await carol.waitForFunction(() => /^Say: \d+ of 15 left/.test(document.querySelector('#ratebar').textContent));
    noErrors(carol);
  });

  check('muting a player hides their lines; unmuting shows them again', async () => {
    const alice = pages.find((p) => p.playerName === 'Alice');
    const bob = pages.find((p) => p.playerName === 'Bob');
    const dave = await joinAsGuest('Dave');
    await bob.selectOption('#channel', 'say'); // Bob was whispering

    await send(bob, 'before the mute', 'You say: before the mute');
    await seeLine(alice, 'Bob says: before the mute');

    await openSender(alice, 'Bob');
    await alice.getByRole('menuitem', { name: 'Mute Bob' }).click();
    await alice.waitForSelector('#mutes:not([hidden])');
    assert.equal(await alice.locator('#mutes-summary').innerText(), 'Muted (1)');
    await alice.waitForFunction(() => [...document.querySelectorAll('#log li')]
      .filter((li) => li.textContent.includes('Bob says: before the mute')).every((li) => li.hidden));
    assert.equal(await alice.locator('#log li[data-sender="guest-bob"]:not([hidden])').count(), 0,
                 'none of Bob\'s lines stays visible');

    await send(bob, 'while muted', 'You say: while muted');
    await send(dave, 'marker after the mute', 'You say: marker after the mute');
    await seeLine(alice, 'Dave says: marker after the mute');
    await seeLine(dave, 'Bob says: while muted'); // it was sent; only Alice does not get it
    assert.equal(await alice.locator('#log li', { hasText: 'while muted' }).count(), 0, 'the server did not deliver it');

    await alice.click('#mutes-summary');
    await alice.getByRole('button', { name: 'Unmute Bob' }).click();
    await alice.waitForSelector('#mutes', { state: 'hidden' });
    await seeLine(alice, 'Bob says: before the mute');
    await send(bob, 'after the unmute', 'You say: after the unmute');
    await seeLine(alice, 'Bob says: after the unmute');
    noErrors(alice);
  });

  check('history is loaded on join', async () => {
    const erin = await joinAsGuest('Erin');
    await seeLine(erin, 'Alice says: hello from Alice');
    await seeLine(erin, 'Bob (global): anyone in Arkham?');
    assert.equal(await line(erin, 'psst, Alice').count(), 0, 'others\' whispers are not in anyone else\'s history');
    const order = await erin.locator('#log li .text').allInnerTexts();
    assert.ok(order.indexOf('Alice says: hello from Alice') < order.indexOf('Bob says: after the unmute'), 'oldest first');
    noErrors(erin);
  });

  check('a token logs in; a bad token is explained', async () => {
    const page = await openPage();
    await page.check('input[value="token"]');
    await page.fill('#token', 'not-a-token');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
    assert.match(await page.locator('#login-error').innerText(), /^That token was refused/);
    assert.ok(await page.locator('#chat-view').isHidden());

    await page.fill('#token', server.token('tara', 'Tara'));
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#conn[data-state="online"]');
    assert.equal(await page.locator('#who-name').innerText(), 'Tara');

    // A reload keeps this tab logged in; logging out forgets it.
    await page.reload();
    await page.waitForSelector('#conn[data-state="online"]');
    assert.equal(await page.locator('#who-name').innerText(), 'Tara');
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
    await page.reload();
    assert.ok(await page.locator('#login-view').isVisible());
    noErrors(page);
  });

  check('keyboard: tabs with arrows, "/" to type, the sender menu with Escape', async () => {
    const alice = pages.find((p) => p.playerName === 'Alice');
    await alice.focus('#tab-all');
    await alice.keyboard.press('ArrowRight');
    assert.equal(await alice.getAttribute('#tab-say', 'aria-selected'), 'true');
    assert.equal(await alice.evaluate(() => document.activeElement.id), 'tab-say');
    assert.equal(await alice.inputValue('#channel'), 'say', 'the Room tab picks Say');
    await alice.keyboard.press('Home');
    assert.equal(await alice.getAttribute('#tab-all', 'aria-selected'), 'true');

    await alice.keyboard.press('/');
    assert.equal(await alice.evaluate(() => document.activeElement.id), 'message');

    const sender = line(alice, 'Dave says: marker').locator('button.sender');
    await sender.focus();
    await alice.keyboard.press('Enter');
    await alice.waitForSelector('#sender-menu:not([hidden])');
    assert.equal(await alice.evaluate(() => document.activeElement.textContent), 'Whisper to Dave');
    await alice.keyboard.press('ArrowDown');
    assert.equal(await alice.evaluate(() => document.activeElement.textContent), 'Mute Dave');
    await alice.keyboard.press('Escape');
    await alice.waitForSelector('#sender-menu', { state: 'hidden' });
    assert.equal(await alice.evaluate(() => document.activeElement.textContent), 'Dave');

    assert.equal(await alice.getAttribute('#log', 'aria-live'), 'polite');
    assert.equal(await alice.getAttribute('#notice', 'role'), 'alert');
  });

  check('pages reconnect after a server restart and chat goes on', async () => {
    const alice = pages.find((p) => p.playerName === 'Alice');
    const bob = pages.find((p) => p.playerName === 'Bob');
    const exit = await server.stop();
    assert.equal(exit, 0, 'SIGTERM is a clean shutdown');
    await alice.waitForSelector('#conn[data-state="waiting"]');
    assert.match(await alice.locator('#conn-text').innerText(), /^Connection lost\. Retrying in \d+ s/);

    await server.start();
    await bob.selectOption('#channel', 'say');
    await alice.waitForSelector('#conn[data-state="online"]', { timeout: 45000 });
    await bob.waitForSelector('#conn[data-state="online"]', { timeout: 45000 });
    await send(bob, 'back again', 'You say: back again');
    await seeLine(alice, 'Bob says: back again');
    assert.equal(await alice.locator('#log li', { hasText: 'Bob says: before the mute' }).count(), 1,
                 'history reloaded after the reconnect adds no duplicates');
    noErrors(alice);
    noErrors(bob);
  });

  // --- resume after a dropped connection --------------------------------------------------------

  check('a page whose connection drops resumes: the missed lines once each, in order, no gap marker', async () => {
    relay = await new Relay(server.port).listen();
    const hana = await joinAsGuest('Hana', { url: relay.url });
    const ian = await joinAsGuest('Ian');
    await send(ian, 'before the cut', 'You say: before the cut');
    await seeLine(hana, 'Ian says: before the cut');
    const held = await line(hana, 'Ian says: before the cut').getAttribute('data-id');
    const historyAsked = hana.sentFrames.filter((f) => f.type === 'history').length;

    relay.cut();
    await hana.waitForSelector('#conn[data-state="waiting"]');
    const missed = Array.from({ length: 6 }, (_, i) => `missed line ${i + 1}`);
    for (const text of missed) await send(ian, text, `You say: ${text}`);
    relay.restore();

    await hana.waitForSelector('#conn[data-state="online"]', { timeout: 45000 });
    await seeLine(hana, 'Ian says: missed line 6');
    assert.deepEqual(await linesFrom(hana, 'Ian'),
                     ['Ian says: before the cut', ...missed.map((text) => `Ian says: ${text}`)],
                     'the missed lines once each, in order, after what was held (the clock window adds no copy)');
    assert.equal(await hana.locator('#log li.msg.resumed').count(), missed.length, 'they came from the resume');
    assert.deepEqual(hana.sentFrames.filter((f) => f.type === 'resume').map((f) => f.since), [held],
                     'one resume, from the newest line held');
    // The reconnect proves it is the same guest with the key of the first welcome.
    const auths = hana.sentFrames.filter((f) => f.type === 'auth');
    const firstWelcome = hana.receivedFrames.find((f) => f.event_type === 'welcome');
    assert.ok(firstWelcome?.data.guest_key, 'a guest is welcomed with a guest_key');
    assert.equal(auths.at(-1).guest_key, firstWelcome.data.guest_key, 'the reconnect sends the guest_key back');
    const resumed = hana.receivedFrames.filter((f) => f.event_type === 'resumed');
    assert.equal(resumed.length, 1);
    assert.equal(resumed[0].data.recovered, true);
    assert.ok(resumed[0].data.messages.some((m) => m.message_id === held),
              'the clock window sent the held line again (and it is shown once, above)');
    assert.equal(hana.sentFrames.filter((f) => f.type === 'history').length, historyAsked,
                 'the reconnect resumed instead of reloading history');
    assert.equal(await hana.locator('#log li.gap').count(), 0, 'no gap marker after a complete resume');

    // Chat goes on as usual afterwards.
    await send(ian, 'after the resume', 'You say: after the resume');
    await seeLine(hana, 'Ian says: after the resume');
    assert.equal(await hana.locator('#log li.gap').count(), 0);
    noErrors(hana, { cut: true });
    noErrors(ian);
  });

  check('a resume that cannot return everything shows the gap marker, and the newest lines', async () => {
    const hana = pages.find((p) => p.playerName === 'Hana');
    const jo = await joinAsGuest('Jo');
    await send(jo, 'jo is here', 'You say: jo is here');
    await seeLine(hana, 'Jo says: jo is here');
    const held = await line(hana, 'Jo says: jo is here').getAttribute('data-id');

    relay.cut();
    await hana.waitForSelector('#conn[data-state="waiting"]');
    const sent = Array.from({ length: RECOVERY_MAX + 2 }, (_, i) => `lost line ${i + 1}`);
    for (const text of sent) await send(jo, text, `You say: ${text}`);
    relay.restore();

    await hana.waitForSelector('#conn[data-state="online"]', { timeout: 45000 });
    await hana.waitForSelector('#log li.gap');
    assert.equal(hana.sentFrames.filter((f) => f.type === 'resume').at(-1).since, held);
    assert.deepEqual(await hana.locator('#log li.gap .text').allInnerTexts(),
                     ['Some messages could not be recovered (too many were sent meanwhile).']);
    assert.deepEqual(await linesFrom(hana, 'Jo'),
                     ['Jo says: jo is here', ...sent.slice(-RECOVERY_MAX).map((text) => `Jo says: ${text}`)],
                     'the newest max_messages lines, in order, after what was held');
    noErrors(hana, { cut: true });
  });

  check('a refused resume falls back to history; late lines and gap events are merged and marked', async () => {
    // Kim's socket goes through the test: resume is answered `unavailable` as a server without
    // history would, and the test can close the socket and speak as the server.
    let socket = null;
    const asked = []; // frame types Kim's page sent, in order
    const kim = await joinAsGuest('Kim', { routeSocket: (route) => {
      const upstream = route.connectToServer();
      route.onMessage((message) => {
        const frame = JSON.parse(message);
        asked.push(frame.type);
        if (frame.type !== 'resume') return upstream.send(message);
        return route.send(JSON.stringify({ event_type: 'error',
          data: { code: 'unavailable', message: 'resume is not available', ref: frame.ref } }));
      });
      socket = { route, upstream };
    } });
    const ian = pages.find((p) => p.playerName === 'Ian');
    await send(ian, 'for Kim', 'You say: for Kim');
    await seeLine(kim, 'Ian says: for Kim');

    await Promise.all([socket.route.close({ code: 4000, reason: 'test cut' }), socket.upstream.close()]);
    await kim.waitForSelector('#conn[data-state="waiting"]');
    asked.length = 0;
    await send(ian, 'while Kim was away', 'You say: while Kim was away');
    await kim.waitForSelector('#conn[data-state="online"]', { timeout: 45000 });
    await seeLine(kim, 'Ian says: while Kim was away'); // from the history the page fell back to
    assert.equal(asked[0], 'auth');
    assert.ok(asked.indexOf('resume') > 0 && asked.indexOf('history') > asked.indexOf('resume'),
              `resumed first, history after the refusal (sent: ${asked.join(', ')})`);
    const fromIan = await linesFrom(kim, 'Ian');
    assert.deepEqual(fromIan.slice(fromIan.indexOf('Ian says: for Kim')), ['Ian says: for Kim', 'Ian says: while Kim was away']);
    assert.equal(await kim.locator('#log li.gap').count(), 0, 'a refused resume is no gap marker');
    assert.ok(await kim.locator('#notice').isHidden(), 'nor an error for the player');

    // A late line (accepted elsewhere during a bus outage) lands between the lines around its id,
    // once however often it comes.
    const before = await line(kim, 'Ian says: for Kim').getAttribute('data-id');
    const late = { message_id: `${before}0`, channel: 'say', sender_id: 'guest-lee', sender_name: 'Lee',
                   content: 'late hello', message: 'Lee says: late hello', timestamp: new Date().toISOString(), late: true };
    for (let i = 0; i < 2; i++) socket.route.send(JSON.stringify({ event_type: 'chat_message', data: late }));
    await seeLine(kim, 'Lee says: late hello');
    const order = await kim.locator('#log li.msg:not([hidden]) .text').allInnerTexts();
    assert.deepEqual(order.filter((t) => /Kim|^Lee says/.test(t)),
                     ['Ian says: for Kim', 'Lee says: late hello', 'Ian says: while Kim was away']);
    assert.equal(await kim.locator('#log li.msg.late').count(), 1);
    assert.equal(await kim.locator('#log li.msg.late .tag-late').innerText(), 'arrived late');

    socket.route.send(JSON.stringify({ event_type: 'gap', data: { from: '2026-01-02T10:01:00Z', to: '2026-01-02T10:03:30Z',
                                                           reason: 'too_old' } }));
    await kim.waitForSelector('#log li.gap');
    assert.deepEqual(await kim.locator('#log li.gap .text').allInnerTexts(),
                     ['Some messages between 10:01 and 10:03 could not be recovered (the break lasted too long).']);
    noErrors(kim, { cut: true });
  });

  check('screenshots: desktop and phone', async () => {
    const out = process.env.MYTHOS_WEB_SCREENSHOTS || process.cwd();
    const alice = pages.find((p) => p.playerName === 'Alice');
    await alice.getByRole('tab', { name: 'All' }).click();
    await alice.screenshot({ path: path.join(out, 'web-desktop.png') });

    const phone = await joinAsGuest('Fay', { width: 390, height: 844, mobile: true });
    await seeLine(phone, 'Bob says: back again');
    await phone.selectOption('#channel', 'whisper');
    await phone.fill('#target', 'Alice');
    await phone.fill('#message', 'see you at the docks');
    assert.ok(await phone.evaluate(() => {
      const panel = document.querySelector('#log-panel');
      return panel.scrollHeight - panel.scrollTop - panel.clientHeight < 2;
    }), 'the log stays at its newest line when the message box grows');
    await phone.screenshot({ path: path.join(out, 'web-phone.png') });
    const login = await openPage({ width: 390, height: 844, mobile: true });
    await login.fill('#guest-name', 'Gwen');
    await login.screenshot({ path: path.join(out, 'web-login-phone.png') });
    for (const file of ['web-desktop.png', 'web-phone.png']) assert.ok(fs.statSync(path.join(out, file)).size > 10000);
    noErrors(phone);
  });
});
