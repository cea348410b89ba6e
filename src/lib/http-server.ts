import { randomUUID } from 'node:crypto';
import http, {
  STATUS_CODES,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger';

/**
 * A request line longer than this (within Node's header limit) means "URI too long" rather than "headers too large"
 * when the header parser overflows.
 */
const LONG_REQUEST_LINE = 8 * 1024;

/** The status, contract code and message for an error Node's HTTP parser raised before any handler ran. */
function describeClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
): [number, string, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW': {
      // Node counts the request line and the headers against one limit. The packet being parsed shows which one
      // overflowed: no line end yet (or a very long first line) is the URL.
      const packet = error.rawPacket;
      const lineEnd = packet ? packet.indexOf('\r\n') : 0;
      const startsRequest = packet !== undefined && /^[A-Z]+ /.test(packet.toString('latin1', 0, 16));
      return startsRequest && (lineEnd === -1 || lineEnd > LONG_REQUEST_LINE)
        ? [414, 'URI_TOO_LONG', 'The request URL is too long']
        : [431, 'HEADERS_TOO_LARGE', 'The request headers are too large'];
    }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive'];
    default:
      return [400, 'BAD_REQUEST', 'The request could not be understood'];
  }
}

/**
 * Answers a request Node could not parse (too large, malformed) in the API's error envelope instead of Node's
 * bare reply, then closes the socket: after a parse error the connection's framing is lost.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = describeClientError(error);
  const requestId = randomUUID();
  logger.warn('malformed request refused', { requestId, status, code: error.code });
  const body = JSON.stringify({
    status,
    code,
    message,
    meta: { requestId, timestamp: new Date().toISOString() },
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-ID: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

export interface HttpServer {
  server: http.Server;
  /**
   * Graceful shutdown: stops accepting connections; every response from now on (including those of requests in
   * flight) carries `Connection: close`, so kept-alive clients are told to go instead of having their socket cut
   * under a request they are sending; sockets still idle after `idleGraceMs` are closed; resolves when every
   * connection has ended, or after `timeoutMs` (remaining connections are then cut).
   */
  drain(options: { timeoutMs: number; idleGraceMs?: number }): Promise<void>;
  readonly draining: boolean;
}

/** The API's HTTP server: the envelope for parser errors, and a drain that does not reset kept-alive clients. */
export function createHttpServer(handler: RequestListener, logger: Logger): HttpServer {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    handler(req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) =>
    answerClientError(error, socket, logger),
  );

  return {
    server,
    get draining() {
      return draining;
    },
    async drain({ timeoutMs, idleGraceMs = 1_000 }) {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      // net.Server's close, not http.Server's: that one also closes idle keep-alive sockets at once, racing the
      // next request a client may already have sent on one (it would see a reset).
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      const idleTimer = setTimeout(() => server.closeIdleConnections(), idleGraceMs);
      const hardTimer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearTimeout(idleTimer);
      clearTimeout(hardTimer);
    },
  };
}
