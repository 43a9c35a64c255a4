// @segment/analytics-node 3.x (server): Basic auth, JSON batches to /v1/batch.
import { Analytics } from '@segment/analytics-node';
import { fail, run, sendScenario } from './lib/run.mjs';

await run('@segment/analytics-node', async ({ url, writeKey }) => {
  const analytics = new Analytics({ writeKey, host: url, maxRetries: 2, flushInterval: 100 });
  analytics.on('error', (err) => fail(err.reason ?? err));
  await sendScenario(analytics, () => analytics.flush(), () => analytics.closeAndFlush());
});
