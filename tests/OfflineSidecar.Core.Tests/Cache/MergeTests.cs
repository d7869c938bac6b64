using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>Three-way merges of text documents: clean when changes do not overlap, a conflict when they do.</summary>
public sealed class MergeTests
{
    private const string Base = "title\nline 2\nline 3\nline 4\nline 5\n";

    [Theory]
    [InlineData("title\nmine 2\nline 3\nline 4\nline 5\n", "title\nline 2\nline 3\nline 4\ntheirs 5\n", "title\nmine 2\nline 3\nline 4\ntheirs 5\n")]
    [InlineData("title\nline 2\nline 3\nline 4\nline 5\nmine appended\n", "theirs first\ntitle\nline 2\nline 3\nline 4\nline 5\n", "theirs first\ntitle\nline 2\nline 3\nline 4\nline 5\nmine appended\n")]
    [InlineData("title\nsame\nline 3\nline 4\nline 5\n", "title\nsame\nline 3\nline 4\nline 5\n", "title\nsame\nline 3\nline 4\nline 5\n")]
    [InlineData(Base, "title\nline 2\n", "title\nline 2\n")]
    public void Changes_to_different_lines_merge(string mine, string theirs, string merged)
    {
        var result = ThreeWayTextMerge.Merge(Base, mine, theirs);

        Assert.True(result.IsClean);
        Assert.Equal(merged, result.MergedText);
    }

    [Fact]
    public void Different_changes_to_the_same_line_conflict()
    {
        var result = ThreeWayTextMerge.Merge(Base, "title\nmine\nline 3\nline 4\nline 5\n", "title\ntheirs\nline 3\nline 4\nline 5\n");

        Assert.False(result.IsClean);
        Assert.Equal(1, result.ConflictingRegions);
    }

    [Fact]
    public void Both_adding_different_text_to_an_empty_document_conflicts()
    {
        Assert.False(ThreeWayTextMerge.Merge("", "mine\n", "theirs\n").IsClean);
        Assert.Equal("only mine\n", ThreeWayTextMerge.Merge("", "only mine\n", "").MergedText);
    }

    [Fact]
    public void Crlf_line_endings_are_kept()
    {
        var result = ThreeWayTextMerge.Merge("a\r\nb\r\nc\r\n", "A\r\nb\r\nc\r\n", "a\r\nb\r\nC\r\n");

        Assert.Equal("A\r\nb\r\nC\r\n", result.MergedText);
    }

    [Fact]
    public void A_merge_of_payloads_keeps_mines_other_members_and_refuses_non_documents()
    {
        var merged = ConflictMerger.TryMerge(
            DocumentPayload.Create(Base),
            """{"content":"title\nmine 2\nline 3\nline 4\nline 5\n","encoding":"utf-8","author":"me"}""",
            serverVersion: 7,
            DocumentPayload.Create("title\nline 2\nline 3\nline 4\ntheirs 5\n"));

        Assert.NotNull(merged);
        Assert.Equal(7, merged.ServerVersion);
        Assert.Equal("title\nmine 2\nline 3\nline 4\ntheirs 5\n", DocumentPayload.TryReadContent(merged.MergedPayloadJson));
        Assert.Contains("\"author\":\"me\"", merged.MergedPayloadJson, StringComparison.Ordinal);
        Assert.Null(ConflictMerger.TryMerge(DocumentPayload.Create(Base), """{"title":"not a document"}""", 7, DocumentPayload.Create(Base)));
        Assert.Null(ConflictMerger.TryMerge(DocumentPayload.Create(Base), DocumentPayload.Create("x"), 7, """{"content":"b64","encoding":"base64"}"""));
    }
}
