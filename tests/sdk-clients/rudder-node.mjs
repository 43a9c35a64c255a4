// @rudderstack/rudder-sdk-node (server): gzip bodies labelled x-www-form-urlencoded; the first event goes out alone.
import Analytics from '@rudderstack/rudder-sdk-node';
import { fail, run, sendScenario } from './lib/run.mjs';

await run('@rudderstack/rudder-sdk-node', async ({ url, writeKey }) => {
  // Without an errorHandler a failed flush is an unhandled rejection that ends the process; with one, we fail loudly.
  const client = new Analytics(writeKey, { dataPlaneUrl: url, retryCount: 1, flushInterval: 100, errorHandler: fail });
  await sendScenario(client, () => client.flush());
});
