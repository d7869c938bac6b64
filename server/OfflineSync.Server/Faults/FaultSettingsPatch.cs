using System.Text.Json;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Faults;

/// <summary>
/// Merges a POST /admin/faults body into the current settings: members present replace, members absent are
/// kept. Parsed by hand because a present <c>"requireToken": null</c> (no token) must differ from an absent one.
/// </summary>
internal static class FaultSettingsPatch
{
    private const int MaxLatencyMs = 120_000;
    private const int MaxRetryAfterSeconds = 86_400;

    /// <summary>A year either way: enough to show any skew a test wants, small enough never to overflow a date.</summary>
    private const long MaxClockOffsetMs = 366L * 86_400_000;

    public static FaultSettings? TryApply(FaultSettings current, JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "body must be a JSON object";
            return null;
        }

        var updated = current;
        foreach (var member in body.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "failRate":
                    updated = ReadRate(value, member.Name, ref error) is double fail ? updated with { FailRate = fail } : updated;
                    break;
                case "dropAfterApplyRate":
                    updated = ReadRate(value, member.Name, ref error) is double drop ? updated with { DropAfterApplyRate = drop } : updated;
                    break;
                case "status429Rate":
                    updated = ReadRate(value, member.Name, ref error) is double limited ? updated with { Status429Rate = limited } : updated;
                    break;
                case "perCommandRetryRate":
                    updated = ReadRate(value, member.Name, ref error) is double retry ? updated with { PerCommandRetryRate = retry } : updated;
                    break;
                case "latencyMs":
                    updated = ReadInt(value, member.Name, MaxLatencyMs, ref error) is int latency ? updated with { LatencyMs = latency } : updated;
                    break;
                case "retryAfterSeconds":
                    updated = ReadInt(value, member.Name, MaxRetryAfterSeconds, ref error) is int after ? updated with { RetryAfterSeconds = after } : updated;
                    break;
                case "unavailable":
                    updated = ReadBool(value, member.Name, ref error) is bool unavailable ? updated with { Unavailable = unavailable } : updated;
                    break;
                case "forbidden":
                    updated = ReadBool(value, member.Name, ref error) is bool forbidden ? updated with { Forbidden = forbidden } : updated;
                    break;
                case "clockOffsetMs":
                    updated = ReadOffset(value, member.Name, ref error) is long offset ? updated with { ClockOffsetMs = offset } : updated;
                    break;
                case "requireToken":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        updated = updated with { RequireToken = null };
                    }
                    else if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } token)
                    {
                        updated = updated with { RequireToken = token };
                    }
                    else
                    {
                        error = "requireToken: a non-empty string or null";
                    }

                    break;
                default:
                    // A typo would otherwise silently leave a fault off and make a test pass for the wrong reason.
                    error = $"{member.Name}: unknown fault setting";
                    break;
            }

            if (error is not null)
            {
                return null;
            }
        }

        return updated;
    }

    private static double? ReadRate(JsonElement value, string name, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var rate) && rate is >= 0 and <= 1)
        {
            return rate;
        }

        error = $"{name}: a number from 0 to 1";
        return null;
    }

    private static int? ReadInt(JsonElement value, string name, int max, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0 && number <= max)
        {
            return number;
        }

        error = $"{name}: an integer from 0 to {max}";
        return null;
    }

    private static long? ReadOffset(JsonElement value, string name, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var offset) && Math.Abs(offset) <= MaxClockOffsetMs)
        {
            return offset;
        }

        error = $"{name}: an integer from -{MaxClockOffsetMs} to {MaxClockOffsetMs}";
        return null;
    }

    private static bool? ReadBool(JsonElement value, string name, ref string? error)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        error = $"{name}: true or false";
        return null;
    }
}
