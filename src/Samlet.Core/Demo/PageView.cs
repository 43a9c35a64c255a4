namespace Samlet.Demo;

/// <summary>The page a browser is on, as analytics.js reports it in <c>context.page</c> and page properties.</summary>
internal readonly record struct PageView(string Path, string Url, string Title, string Search, string Referrer);
