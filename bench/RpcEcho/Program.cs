using OfflineSidecar.Bench.RpcEcho;

// Which JSON-RPC layer serves the echo methods over stdio: "ours" (OfflineSidecar.JsonRpc) or "streamjsonrpc".
return args.FirstOrDefault() switch
{
    "ours" => await OursServer.RunAsync(),
    "streamjsonrpc" => await StreamJsonRpcServer.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: OfflineSidecar.Bench.RpcEcho ours|streamjsonrpc");
    return 2;
}
