namespace Samlet.Server.Hosting;

/// <summary>What <c>samlet serve</c> was asked for.</summary>
/// <param name="DataDirectory">Where the embedded store keeps its files.</param>
/// <param name="Urls">Kestrel's listen addresses, separated by <c>;</c>.</param>
/// <param name="Demo">Load the demo shop's data into a fresh data directory.</param>
/// <param name="InitialWriteKey">At first start, the first source's write key (from <c>SAMLET_WRITE_KEY</c>); generated when null.</param>
/// <param name="InitialAdminKey">At first start, the admin API key (from <c>SAMLET_ADMIN_KEY</c>); generated when null.</param>
/// <param name="Configuration">Settings that override configuration and environment (<c>Ingestion:MaxBodyBytes</c>…).</param>
internal sealed record ServeSettings(
    string DataDirectory,
    string Urls,
    bool Demo = false,
    string? InitialWriteKey = null,
    string? InitialAdminKey = null,
    IReadOnlyDictionary<string, string?>? Configuration = null);
