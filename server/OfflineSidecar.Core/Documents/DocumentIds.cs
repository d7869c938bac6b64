using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Documents;

/// <summary>
/// What an entity id must look like to be a path in the documents workspace (<c>notes/meeting.md</c>): segments
/// separated by '/', none empty, '.' or '..', and no control characters (NUL included). Checked for document
/// operations at enqueue and for every id the cache methods are asked about, so nothing unaddressable is stored.
/// </summary>
public static class DocumentIds
{
    public const char Separator = '/';

    public static void Validate(string? entityId, string field)
    {
        if (string.IsNullOrEmpty(entityId))
        {
            throw OperationInputRules.Invalid($"{field}: required");
        }

        OperationInputRules.ValidateKey(entityId, field);
        foreach (var c in entityId)
        {
            if (char.IsControl(c))
            {
                throw OperationInputRules.Invalid($"{field}: must not contain control characters (such as NUL)");
            }
        }

        if (!IsWellFormedUtf16(entityId))
        {
            throw OperationInputRules.Invalid($"{field}: contains a lone surrogate (not text)");
        }

        foreach (var segment in entityId.Split(Separator))
        {
            if (segment.Length == 0)
            {
                throw OperationInputRules.Invalid($"{field}: must not start or end with '/' or contain '//'");
            }

            if (segment is "." or "..")
            {
                throw OperationInputRules.Invalid($"{field}: must not contain '.' or '..' segments");
            }
        }
    }

    /// <summary>True when every surrogate is half of a pair, so the id has a UTF-8 form (SQLite stores UTF-8).</summary>
    public static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A folder prefix: empty (the root) or a valid id followed by '/'.</summary>
    public static void ValidatePrefix(string? prefix, string field)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        if (prefix[^1] != Separator)
        {
            // A prefix that is not a folder is still a valid range (e.g. "notes/me"); only its characters are checked.
            Validate(prefix, field);
            return;
        }

        Validate(prefix[..^1], field);
    }
}
