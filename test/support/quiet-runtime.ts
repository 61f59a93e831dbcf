// Workers in tests log errors only, so a failing assertion is not buried in INFO lines.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process by an earlier file.
}
