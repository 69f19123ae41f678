// The official SDK client (Client + StreamableHTTPClientTransport) as an agent would use it through kap:
//   node client.mjs <url> <allowed-tool> <allowed-args-json> <denied-tool> [--hold-ms N]
// It connects, lists tools, calls the allowed tool and the denied one, and prints one JSON object on stdout:
//   {"sessionId", "protocolVersion", "tools": [names], "allowed": <result>, "denied": {code, message}}
// --hold-ms keeps the session open that long before closing it, so two clients overlap.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, allowedTool, allowedArgs, deniedTool] = process.argv.slice(2);
const holdIndex = process.argv.indexOf('--hold-ms');
const holdMs = holdIndex > 0 ? Number(process.argv[holdIndex + 1]) : 0;

const transport = new StreamableHTTPClientTransport(new URL(url));
const client = new Client({ name: 'kap-test-client', version: '1.0.0' });
const out = {};
try {
  await client.connect(transport);
  out.sessionId = transport.sessionId;
  out.protocolVersion = transport.protocolVersion;
  out.tools = (await client.listTools()).tools.map((t) => t.name);
  out.allowed = await client.callTool({ name: allowedTool, arguments: JSON.parse(allowedArgs) });
  try {
    out.denied = { result: await client.callTool({ name: deniedTool, arguments: {} }) };
  } catch (e) {
    out.denied = { code: e.code, message: e.message };
  }
  if (holdMs > 0) {
    await new Promise((r) => setTimeout(r, holdMs));
    out.toolsAfterHold = (await client.listTools()).tools.length;
  }
  await transport.terminateSession();
  await client.close();
} catch (e) {
  out.error = String(e?.stack ?? e);
}
console.log(JSON.stringify(out));
process.exit(0);
