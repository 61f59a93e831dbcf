// A loopback TCP balancer in front of the Temporal frontends, as a load balancer would be on several machines:
// each new connection goes to the next node that accepts it, so clients reconnect to a live node after a crash.
import net from 'node:net';

export interface Balancer {
  port: number;
  close: () => Promise<void>;
}

export function startBalancer(port: number, targets: number[]): Promise<Balancer> {
  let next = 0;
  const open = new Set<net.Socket>();
  const connectAny = (tries: number): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const target = targets[next++ % targets.length]!;
      const upstream = net.connect(target, '127.0.0.1');
      upstream.once('connect', () => resolve(upstream));
      upstream.once('error', (err) => (tries > 1 ? connectAny(tries - 1).then(resolve, reject) : reject(err)));
    });
  const server = net.createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    connectAny(targets.length).then(
      (upstream) => {
        open.add(upstream);
        upstream.once('close', () => (open.delete(upstream), client.destroy()));
        client.once('close', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port,
        close: () => new Promise<void>((r) => (open.forEach((s) => s.destroy()), server.close(() => r()))),
      }),
    );
  });
}
