using Samlet.Server.Cli;

return await SamletCommand.Create().Parse(args).InvokeAsync();
