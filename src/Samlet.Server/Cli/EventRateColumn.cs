using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Samlet.Server.Cli;

/// <summary>A progress column showing the task's speed as events per second.</summary>
internal sealed class EventRateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Speed ?? 0:N0} events/s"));
}
