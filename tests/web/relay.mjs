// A TCP relay in front of mythos-chatd, so a test can cut one page's connection while the server
// and every other page carry on. A page loaded through the relay also opens its WebSocket
// through it (the page connects to its own host). cut() drops every relayed connection at once
// and refuses new ones, like a network that went away; restore() lets them through again.

import net from 'node:net';

export class Relay {
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.pairs = new Set(); // [from the browser, to the server]
    this.refusing = false;
    this.server = net.createServer((client) => this.accept(client));
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = this.server.address().port;
        this.url = `http://127.0.0.1:${this.port}`;
        resolve(this);
      });
    });
  }

  accept(client) {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  cut() {
    this.refusing = true;
    for (const [client, upstream] of [...this.pairs]) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  restore() {
    this.refusing = false;
  }

  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
