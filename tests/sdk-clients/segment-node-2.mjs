// @segment/analytics-node 2.x (server), still in the field: no Authorization header, the write key only in the body.
import { Analytics } from 'segment-analytics-node-2';
import { fail, run, sendScenario } from './lib/run.mjs';

await run('@segment/analytics-node 2.x', async ({ url, writeKey }) => {
  const analytics = new Analytics({ writeKey, host: url, maxRetries: 2, flushInterval: 100 });
  analytics.on('error', (err) => fail(err.reason ?? err));
  await sendScenario(analytics, () => analytics.flush(), () => analytics.closeAndFlush());
});
