// An OAuth-protected MCP server built from the official SDK's own authorization-server pieces: mcpAuthRouter (RFC 8414
// metadata, RFC 9728 protected-resource metadata, RFC 7591 dynamic client registration, the authorize endpoint, and a
// token endpoint that verifies PKCE S256), the SDK's in-memory demo provider (which checks the RFC 8707 resource and
// the registered redirect URI) extended with refresh tokens, and requireBearerAuth in front of /mcp (401 with
// WWW-Authenticate resource_metadata). Listens on 127.0.0.1 with an ephemeral port; prints "LISTENING <port>".
//   GET  /stats          {"exchanges", "refreshes", "lastRefreshResource", ...} for the tests to assert
//   POST /expire-access  makes every access token invalid, so the next call gets 401
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const stats = { exchanges: 0, refreshes: 0, lastRefreshResource: null, registrations: 0 };
const httpServer = http.createServer();
await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${httpServer.address().port}`;
const mcpUrl = new URL(`${base}/mcp`);

class RefreshingProvider extends DemoInMemoryAuthProvider {
  constructor() {
    super((resource) => resource !== undefined && resource.toString() === mcpUrl.toString());
    this.refreshTokens = new Map();
    const register = this.clientsStore.registerClient.bind(this.clientsStore);
    this.clientsStore.registerClient = async (c) => { stats.registrations++; return register(c); };
  }
  issue(clientId, resource) {
    const access = randomUUID();
    const refresh = randomUUID();
    this.tokens.set(access, { token: access, clientId, scopes: ['mcp:tools'], expiresAt: Date.now() + 3600000,
      resource, type: 'access' });
    this.refreshTokens.set(refresh, { clientId, resource });
    return { access_token: access, token_type: 'bearer', expires_in: 3600, refresh_token: refresh, scope: 'mcp:tools' };
  }
  async exchangeAuthorizationCode(client, code, verifier, redirectUri, resource) {
    const granted = await super.exchangeAuthorizationCode(client, code, verifier, redirectUri, resource);
    stats.exchanges++;
    this.tokens.delete(granted.access_token);
    return this.issue(client.client_id, mcpUrl);
  }
  // the demo throws a plain Error for an unknown token, which bearerAuth turns into 500; RFC 6750 says 401
  async verifyAccessToken(token) {
    try {
      return await super.verifyAccessToken(token);
    } catch (e) {
      throw new InvalidTokenError(String(e.message ?? e));
    }
  }
  async exchangeRefreshToken(client, refreshToken, scopes, resource) {
    const known = this.refreshTokens.get(refreshToken);
    if (!known || known.clientId !== client.client_id) {
      throw new Error('unknown refresh token');
    }
    // rotation: a refresh token works once
    this.refreshTokens.delete(refreshToken);
    stats.refreshes++;
    stats.lastRefreshResource = resource ? resource.toString() : null;
    return this.issue(client.client_id, known.resource);
  }
}

const provider = new RefreshingProvider();
const app = express();
app.get('/stats', (req, res) => res.json(stats));
app.post('/expire-access', (req, res) => { provider.tokens.clear(); res.json({ ok: true }); });
app.use(mcpAuthRouter({ provider, issuerUrl: new URL(base), scopesSupported: ['mcp:tools'],
  resourceServerUrl: mcpUrl }));

const sessions = new Map();
app.use('/mcp', requireBearerAuth({ verifier: provider,
  resourceMetadataUrl: `${base}/.well-known/oauth-protected-resource/mcp` }));
app.use('/mcp', express.json());
app.all('/mcp', async (req, res) => {
  const sid = req.headers['mcp-session-id'];
  let transport = sid ? sessions.get(sid) : undefined;
  if (!transport) {
    if (sid || !isInitializeRequest(req.body)) {
      res.status(sid ? 404 : 400).json({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'no session' } });
      return;
    }
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport) });
    const server = new Server({ name: 'kap-oauth-upstream', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [
      { name: 'whoami', description: 'Says which OAuth client called', inputSchema: { type: 'object' } }] }));
    server.setRequestHandler(CallToolRequestSchema, async (r, extra) => ({
      content: [{ type: 'text', text: `client ${extra.authInfo?.clientId}` }] }));
    await server.connect(transport);
  }
  await transport.handleRequest(req, res, req.body);
});
httpServer.on('request', app);
console.log(`LISTENING ${httpServer.address().port}`);
