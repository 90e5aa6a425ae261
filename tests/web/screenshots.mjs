// Pictures of the player page for docs/images: a made-up evening in Arkham, seen by Alice on a
// desktop and by Bob on a phone. Not a test; run by hand after building mythos-chatd:
//   MYTHOS_CHATD=build/server/mythos-chatd node tests/web/screenshots.mjs docs/images

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { ChatServer, freePort, launchBrowser, makeTempDir, startNats, stopAll } from './harness.mjs';

const out = path.resolve(process.argv[2] || '.');
const dir = makeTempDir();
const nats = await startNats(dir);
const server = new ChatServer(process.env.MYTHOS_CHATD, dir, nats.url, await freePort(), 10);
await server.start();
const browser = await launchBrowser(chromium);

async function join(credentials, viewport = { width: 1280, height: 760 }, mobile = false) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: mobile ? 2 : 1,
                                             locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(`${server.url}/#token=${encodeURIComponent(credentials)}`);
  await page.waitForSelector('#conn[data-state="online"]');
  return page;
}

async function say(page, text, channel = 'say') {
  await page.selectOption('#channel', channel);
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
  await page.waitForFunction(() => !document.querySelector('#log li.pending'));
  await new Promise((r) => setTimeout(r, 150)); // let the others' pages receive it
}

try {
  const room = { role: 'player' };
  const alice = await join(server.token('alice', 'Alice', room));
  const bob = await join(server.token('bob', 'Bob', room), { width: 390, height: 844 }, true);
  const carmilla = await join(server.token('carmilla', 'Carmilla', room));
  const warden = await join(server.token('warden', 'Warden', { role: 'admin' }));

  await say(warden, '/system The sanitarium gates close at midnight.');
  await say(bob, 'Has anyone seen Professor Armitage tonight?');
  await say(carmilla, '/me lights a lantern and peers down the corridor');
  await say(alice, 'He was in the library an hour ago.');
  await say(carmilla, 'Strange noises from the cellar again…', 'local');
  await say(warden, '/g The Miskatonic ferry is delayed by fog.');
  await say(bob, '/w Alice Meet me by the east wing. Bring the key.');
  await say(alice, '/r On my way.');
  await say(carmilla, '/z Anyone selling lamp oil in Arkham?');
  await say(bob, '/me checks his pocket watch');

  await alice.fill('#message', 'Wait for me at the stairs');
  await alice.locator('#log li', { hasText: 'Bob checks his pocket watch' }).locator('button.sender').click();
  await alice.screenshot({ path: path.join(out, 'web-desktop.png') });

  await bob.selectOption('#channel', 'whisper');
  await bob.fill('#target', 'Alice');
  await bob.fill('#message', 'Hurry, the lights are going out');
  await bob.screenshot({ path: path.join(out, 'web-phone.png') });
  console.log(`wrote ${path.join(out, 'web-desktop.png')} and web-phone.png`);
} finally {
  await browser.close();
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
}
