// @rudderstack/analytics-js (v3, bundled build) in headless Chromium: one POST /v1/{type} per call with Basic auth and
// AnonymousId/SentAt headers; identify traits only in context.traits. The source config is given inline.
import { openPage } from './lib/browser.mjs';
import { run, scenario } from './lib/run.mjs';

await run('@rudderstack/analytics-js', async ({ url, writeKey }) => {
  const browser = await openPage(url, '<script src="/rudderstack/index.js"></script>');
  try {
    await browser.page.evaluate(async ({ s, url, writeKey }) => {
      const analytics = new rudderanalytics.RudderAnalytics();
      const source = { id: 'sdk-test', config: {}, destinations: [], enabled: true, workspaceId: 'sdk-test' };
      await new Promise((resolve) => analytics.load(writeKey, url, { getSourceConfig: () => ({ source }), onLoaded: resolve }));
      analytics.setAnonymousId(s.anonymousId);
      analytics.page(s.page.category, s.page.name, s.page.properties);
      analytics.identify(s.userId, s.identify.traits);
      analytics.track(s.track.event, s.track.properties);
      analytics.group(s.group.groupId, s.group.traits);
      analytics.alias(s.userId, s.anonymousId);
    }, { s: scenario, url, writeKey });
    // The SDK sends from its own queue: done once the server answered all five.
    await browser.settled(5);
  } finally {
    await browser.close();
  }
});
