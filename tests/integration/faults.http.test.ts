import net, { type AddressInfo } from 'node:net';
import { createHttpServer, type HttpServer } from '../../src/lib/http-server';
import { createLogger } from '../../src/lib/logger';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let http: HttpServer;
let port: number;

beforeAll(async () => {
  ctx = await createTestContext();
  http = createHttpServer(ctx.app, createLogger({ level: 'silent', pretty: false, service: 'test' }));
  await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
  port = (http.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => http.server.close(resolve));
  await ctx.close();
});

/** Sends raw bytes and reads the whole answer until the server closes the socket. */
function rawRequest(
  head: string,
): Promise<{ status: number; headers: string; body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [headers, body] = [
        reply.slice(0, reply.indexOf('\r\n\r\n')),
        reply.slice(reply.indexOf('\r\n\r\n') + 4),
      ];
      resolve({ status: Number(reply.split(' ')[1]), headers, body, closed: true });
    });
    socket.write(head);
  });
}

function expectEnvelope(reply: { headers: string; body: string }, status: number, code: string): void {
  expect(reply.headers).toMatch(/content-type: application\/json/i);
  expect(reply.headers).toMatch(/connection: close/i);
  const body = JSON.parse(reply.body);
  expect(body).toEqual({
    status,
    code,
    message: expect.any(String),
    meta: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), timestamp: expect.any(String) },
  });
  expect(reply.headers).toContain(`X-Request-ID: ${body.meta.requestId}`);
}

test('a 20 kB URL → 414 URI_TOO_LONG in the envelope, socket closed', async () => {
  const reply = await rawRequest(`GET /api/v1/products?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  expect(reply.status).toBe(414);
  expectEnvelope(reply, 414, 'URI_TOO_LONG');
});

test('10 000 query keys → 414 URI_TOO_LONG in the envelope', async () => {
  const query = Array.from({ length: 10_000 }, (_, i) => `k${i}=1`).join('&');
  const reply = await rawRequest(`GET /api/v1/products?${query} HTTP/1.1\r\nHost: x\r\n\r\n`);
  expect(reply.status).toBe(414);
  expectEnvelope(reply, 414, 'URI_TOO_LONG');
});

test('more query parameters than qs keeps (within the URL limit) → 414, not silently truncated', async () => {
  const query = Array.from({ length: 1_500 }, () => 'a').join('&');
  const reply = await rawRequest(
    `GET /api/v1/products?${query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  );
  expect(reply.status).toBe(414);
  expect(JSON.parse(reply.body).code).toBe('URI_TOO_LONG');
});

test('a 40 kB header → 431 HEADERS_TOO_LARGE in the envelope', async () => {
  const reply = await rawRequest(
    `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`,
  );
  expect(reply.status).toBe(431);
  expectEnvelope(reply, 431, 'HEADERS_TOO_LARGE');
});

test('a malformed request line → 400 BAD_REQUEST in the envelope', async () => {
  const reply = await rawRequest('NOT AN HTTP REQUEST\r\n\r\n');
  expect(reply.status).toBe(400);
  expectEnvelope(reply, 400, 'BAD_REQUEST');
});
