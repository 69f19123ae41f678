// A small MCP server on the official SDK (low-level Server + StreamableHTTPServerTransport) that kap's tests steer:
//   --json            answer POSTs with JSON bodies (enableJsonResponse) instead of SSE streams
//   --tools N         also serve N generated tools tool_0..tool_{N-1} (for the benchmark)
//   --desc-file F     the description of tool "pinned" is read from F on every tools/list (rug-pull test)
//   --record F        append each request's method, path, headers and body to F as a JSON line
//   --bearer T        require "Authorization: Bearer T"; otherwise 401 with a WWW-Authenticate challenge
// It listens on 127.0.0.1 with an ephemeral port and prints "LISTENING <port>". The MCP endpoint is /mcp.
import http from 'node:http';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema, ListToolsRequestSchema, ListResourcesRequestSchema, ReadResourceRequestSchema,
  ListPromptsRequestSchema, GetPromptRequestSchema, isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const generated = Number(opt('--tools') ?? 0);
const descFile = opt('--desc-file');
const record = opt('--record');
const bearer = opt('--bearer');

const schema = { type: 'object', properties: { text: { type: 'string' } } };
const fixedTools = [
  { name: 'echo', description: 'Echoes the text back', inputSchema: schema },
  { name: 'delete_everything', description: 'Deletes everything', inputSchema: schema },
  { name: 'announce', description: 'Sends notifications/tools/list_changed', inputSchema: schema },
];
const generatedTools = Array.from({ length: generated }, (_, i) => ({
  name: `tool_${i}`, description: `Generated tool number ${i} for the benchmark, with a realistic description.`,
  inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'what to look up' },
    limit: { type: 'integer', minimum: 1, maximum: 100 } }, required: ['query'] },
}));

function tools() {
  const all = [...fixedTools, ...generatedTools];
  if (descFile) {
    all.push({ name: 'pinned', description: fs.readFileSync(descFile, 'utf8').trim(), inputSchema: schema });
  }
  return all;
}

function newServer() {
  const server = new Server({ name: 'kap-test-upstream', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, resources: {}, prompts: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools() }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    if (req.params.name === 'announce') {
      await server.sendToolListChanged();
    }
    const text = `${req.params.name}:${req.params.arguments?.text ?? ''}`;
    return { content: [{ type: 'text', text }] };
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [
    { uri: 'file:///public/readme.txt', name: 'readme' }, { uri: 'file:///secret/key.txt', name: 'key' }] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => ({
    contents: [{ uri: req.params.uri, text: `contents of ${req.params.uri}` }] }));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [
    { name: 'greet' }, { name: 'exfiltrate' }] }));
  server.setRequestHandler(GetPromptRequestSchema, async (req) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `prompt ${req.params.name}` } }] }));
  return server;
}

const sessions = new Map();

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

const httpServer = http.createServer(async (req, res) => {
  try {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (record) {
      fs.appendFileSync(record, JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }) + '\n');
    }
    if (bearer && req.headers.authorization !== `Bearer ${bearer}`) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const sid = req.headers['mcp-session-id'];
    let transport = sid ? sessions.get(sid) : undefined;
    if (!transport) {
      if (sid || req.method !== 'POST' || !isInitializeRequest(body)) {
        res.writeHead(sid ? 404 : 400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'no valid session' } }));
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: json,
        onsessioninitialized: (id) => sessions.set(id, transport),
      });
      transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(e) }));
    }
  }
});
httpServer.listen(0, '127.0.0.1', () => console.log(`LISTENING ${httpServer.address().port}`));
