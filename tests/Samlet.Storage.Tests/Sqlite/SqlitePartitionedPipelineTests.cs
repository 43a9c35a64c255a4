using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Sqlite;

public sealed class SqlitePartitionedPipelineTests : PartitionedPipelineContract<SqliteStoreFixture>;
