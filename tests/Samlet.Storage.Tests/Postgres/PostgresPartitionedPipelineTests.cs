using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Postgres;

public sealed class PostgresPartitionedPipelineTests : PartitionedPipelineContract<PostgresStoreFixture>;
