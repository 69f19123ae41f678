// Runs @modelcontextprotocol/server-everything in Streamable HTTP mode on 127.0.0.1 with an ephemeral port, and
// prints "LISTENING <port>" once it accepts connections. server-everything itself reads only PORT and binds every
// interface; the tests must stay on loopback and must not race for a fixed port, so listen() is pinned here.
import http from 'node:http';

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  const callback = args.find((a) => typeof a === 'function');
  this.once('listening', () => console.log(`LISTENING ${this.address().port}`));
  return listen.call(this, 0, '127.0.0.1', callback);
};
// server-everything logs every request on stdout; the test only reads the first line
process.argv[2] = 'streamableHttp';
await import('@modelcontextprotocol/server-everything/dist/index.js');
