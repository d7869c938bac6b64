using OfflineSidecar.Bench;

return await BenchRunner.RunAsync(args);
