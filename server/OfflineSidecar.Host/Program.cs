using OfflineSidecar.Host.Cli;

return await SidecarCli.RunAsync(args);
