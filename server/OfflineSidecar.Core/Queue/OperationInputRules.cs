using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OfflineSidecar.Core.Queue;

/// <summary>What the queue accepts from callers and import files. Messages name the field, as the protocol asks.</summary>
internal static partial class OperationInputRules
{
    public const int MaxKeyLength = 512;

    /// <summary>Payloads nest a little deeper than the default 64 in practice; still bounded against abuse.</summary>
    public const int MaxPayloadDepth = 128;

    [GeneratedRegex(@"^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*\.v[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    public static void ValidateType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            throw Invalid("type: required");
        }

        if (type.Length > MaxKeyLength || !TypePattern().IsMatch(type))
        {
            throw Invalid("type: must be a versioned name such as document.put.v1");
        }
    }

    /// <summary>Checks size and syntax; returns the UTF-8 size stored as payloadBytes.</summary>
    public static int ValidatePayload(string? json, int maxBytes, string field = "payload")
    {
        if (json is null)
        {
            throw Invalid($"{field}: required");
        }

        var byteCount = Encoding.UTF8.GetByteCount(json);
        if (byteCount > maxBytes)
        {
            throw new QueueException(QueueErrorKind.PayloadTooLarge, $"{field}: {byteCount} bytes exceeds the limit of {maxBytes} bytes");
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        switch (CheckSingleJsonValue(bytes))
        {
            case PayloadShape.NotJson:
                throw Invalid($"{field}: not valid JSON");
            case PayloadShape.NotText:
                // Valid JSON syntax, but no UTF-8 text can hold it: the server (or any reader decoding it) would fail
                // on it later, where the user can no longer fix it.
                throw Invalid($"{field}: a string escapes a lone surrogate (such as \\ud800), which is not text");
        }

        return byteCount;
    }

    public static void ValidateKey(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0)
        {
            throw Invalid($"{field}: must not be empty");
        }

        if (value.Length > MaxKeyLength)
        {
            throw Invalid($"{field}: longer than {MaxKeyLength} characters");
        }
    }

    /// <summary>The absolute expiry of an operation enqueued at <paramref name="now"/>, or null when it never expires.</summary>
    public static DateTimeOffset? ValidateExpiry(DateTimeOffset? expiresAt, TimeSpan? timeToLive, DateTimeOffset now)
    {
        if (expiresAt is not null && timeToLive is not null)
        {
            throw Invalid("expiresAt, ttlSeconds: give one of them, not both");
        }

        if (timeToLive is { } ttl)
        {
            return ttl > TimeSpan.Zero ? now + ttl : throw Invalid("ttlSeconds: must be positive");
        }

        return expiresAt is not { } at ? null
            : at > now ? at
            : throw Invalid("expiresAt: already past; an operation that may not be delivered after then would only expire");
    }

    public static QueueException Invalid(string message) => new(QueueErrorKind.InvalidArgument, message);

    private enum PayloadShape
    {
        Json,
        NotJson,
        NotText,
    }

    private static PayloadShape CheckSingleJsonValue(ReadOnlySpan<byte> utf8)
    {
        // A second top-level value, trailing garbage or an unfinished value throws from Read.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxPayloadDepth });
        try
        {
            var any = false;
            while (reader.Read())
            {
                any = true;
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !Unescapes(ref reader))
                {
                    return PayloadShape.NotText;
                }
            }

            return any ? PayloadShape.Json : PayloadShape.NotJson;
        }
        catch (JsonException)
        {
            return PayloadShape.NotJson;
        }
    }

    /// <summary>Only escaped strings are decoded (rare in payloads), so the common path reads tokens and nothing more.</summary>
    private static bool Unescapes(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
