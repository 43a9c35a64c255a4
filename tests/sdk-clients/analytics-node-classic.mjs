// Classic analytics-node 6.x (Segment's deprecated server SDK): axios with Basic auth; the first event goes out alone.
import Analytics from 'analytics-node';
import { fail, run, sendScenario } from './lib/run.mjs';

await run('analytics-node', async ({ url, writeKey }) => {
  const client = new Analytics(writeKey, { host: url, retryCount: 1, flushInterval: 100, errorHandler: fail });
  await sendScenario(client, () => client.flush());
});
