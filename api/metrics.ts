// Prometheus metrics of the API: requests, latencies and errors by route pattern (never by raw URL, which holds ids).
import type { RequestHandler } from 'express';
import http from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'api_' });
  const requests = new Counter({
    name: 'api_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'api_http_errors_total',
    help: 'HTTP responses with status >= 400, by route and error class',
    labelNames: ['method', 'route', 'class'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'api_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      // Express has restored baseUrl by now; the versioned prefix comes back from the original URL.
      const prefix = req.originalUrl.startsWith('/v1/') ? '/v1' : '';
      const route = req.route?.path ? `${prefix}${req.route.path}` : 'unmatched';
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      if (res.statusCode >= 400) errors.inc({ method: req.method, route, class: res.statusCode >= 500 ? '5xx' : '4xx' });
    });
    next();
  };

  /** A separate listener, so metrics are scraped on their own port and never exposed on the public API. */
  function listen(port: number, host: string): http.Server {
    return http
      .createServer(async (req, res) => {
        if (req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      })
      .listen(port, host);
  }

  return { registry, middleware, listen };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;
