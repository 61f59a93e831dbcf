// Guards outside any one route: 405 with Allow for a known path's unsupported method, and a JSON 431 for oversized headers.
import type { RequestHandler } from 'express';
import http from 'node:http';
import type { Socket } from 'node:net';
import { AppError, errorBody } from './errors';

/** The largest request head the API reads (Node's default, stated so the 431 answer is ours). */
export const MAX_HEADER_BYTES = 16 * 1024;

interface PathMethods {
  pattern: RegExp;
  methods: string[];
}

/** Known paths (the OpenAPI document's and the open endpoints) and the methods each answers. */
export function knownPaths(paths: Record<string, object>, open: Record<string, string[]>): PathMethods[] {
  const entries = [...Object.entries(paths).map(([p, item]) => [p, Object.keys(item).map((m) => m.toUpperCase())] as const), ...Object.entries(open)];
  return entries.map(([p, methods]) => ({
    pattern: new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}/?$`),
    methods: [...methods],
  }));
}

/** A known path asked with a method it does not answer: 405, its Allow header and the JSON error body. */
export function methodNotAllowed(known: () => PathMethods[]): RequestHandler {
  return (req, res, next) => {
    const hit = known().find((k) => k.pattern.test(req.path));
    if (!hit) return next();
    const allow = hit.methods.includes('GET') ? [...hit.methods, 'HEAD'] : hit.methods;
    if (allow.includes(req.method)) return next();
    res.setHeader('Allow', allow.join(', '));
    res.status(405).json(errorBody(new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; allowed: ${allow.join(', ')}`)));
  };
}

/** Answers a request Node refused to parse (oversized or malformed head) with a JSON error, not a bare reset. */
function onClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const error = tooLarge
    ? new AppError('HEADERS_TOO_LARGE', `request headers exceed ${MAX_HEADER_BYTES} bytes`)
    : new AppError('BAD_REQUEST', 'the request could not be parsed');
  const body = JSON.stringify(errorBody(error));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** An HTTP server for the app with the header limit and the JSON answer to unparseable requests. */
export function createHttpServer(app: http.RequestListener): http.Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  server.on('clientError', onClientError);
  return server;
}
