using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Postgres;

public sealed class PostgresAnalyticsPipelineTests : AnalyticsPipelineContract<PostgresStoreFixture>;
