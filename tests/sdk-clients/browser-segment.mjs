// @segment/analytics-next (analytics.js 2.0) in headless Chromium: text/plain POSTs to /v1/{p,i,t,s,g,a} with Basic
// auth (so preflighted). Settings are given inline, so nothing is fetched from Segment's CDN; telemetry is off.
import { openPage } from './lib/browser.mjs';
import { run, scenario } from './lib/run.mjs';

await run('@segment/analytics-next', async ({ url, writeKey }) => {
  const browser = await openPage(url, '<script>window.analytics = { _cdn: location.origin }</script><script src="/analytics-next/bundles/index.js"></script>');
  try {
    const failed = await browser.page.evaluate(async ({ s, api, writeKey }) => {
      const [analytics] = await AnalyticsNext.AnalyticsBrowser.load(
        { writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey } }, metrics: { sampleRate: 0 } } },
        { integrations: { 'Segment.io': { apiHost: `${api.host}/v1`, protocol: api.protocol.replace(':', '') } } });
      analytics.setAnonymousId(s.anonymousId);
      // Each call resolves once its delivery was attempted; failedDelivery() says whether it failed.
      const contexts = [
        await analytics.page(s.page.category, s.page.name, s.page.properties),
        await analytics.identify(s.userId, s.identify.traits),
        await analytics.track(s.track.event, s.track.properties),
        await analytics.screen(s.screen.name, s.screen.properties),
        await analytics.group(s.group.groupId, s.group.traits),
        await analytics.alias(s.userId, s.anonymousId),
      ];
      return contexts.map((c) => c.failedDelivery()).filter(Boolean).map((f) => String(f.reason));
    }, { s: scenario, api: { host: new URL(url).host, protocol: new URL(url).protocol }, writeKey });
    if (failed.length > 0) throw new Error(`analytics-next failed to deliver: ${failed.join('; ')}`);
    await browser.settled(6);
  } finally {
    await browser.close();
  }
});
