namespace Samlet.Server.Tests.Analytics;

public sealed class SqliteAnalyticsApiTests : AnalyticsApiTests;
