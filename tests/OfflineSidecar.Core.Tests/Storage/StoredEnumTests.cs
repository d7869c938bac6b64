using System.Globalization;
using System.Text.RegularExpressions;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>
/// Rows written by every earlier version hold these numbers: renumbering an enum would silently turn stored pending work
/// into something else. The expected pairs are written out literally here on purpose.
/// </summary>
public sealed class StoredEnumTests
{
    private static readonly Regex NumberedColumn =
        new(@"\b(status|priority)\s*(=|<>|!=|<=?|>=?|\s(NOT\s+)?IN\s*\(|\sBETWEEN)\s*\d", RegexOptions.IgnoreCase);

    public static TheoryData<OperationStatus, int, string> Statuses() => new()
    {
        { OperationStatus.Pending, 0, StoredStatus.Pending },
        { OperationStatus.Syncing, 1, StoredStatus.Syncing },
        { OperationStatus.Succeeded, 2, StoredStatus.Succeeded },
        { OperationStatus.Failed, 3, StoredStatus.Failed },
        { OperationStatus.Conflict, 4, StoredStatus.Conflict },
    };

    public static TheoryData<OperationPriority, int> Priorities() => new()
    {
        { OperationPriority.High, 0 },
        { OperationPriority.Normal, 1 },
        { OperationPriority.Low, 2 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Every_status_keeps_its_stored_number_and_its_sql_spelling(OperationStatus status, int stored, string sql)
    {
        Assert.Equal(stored, (int)status);
        Assert.Equal(stored.ToString(CultureInfo.InvariantCulture), sql);
    }

    [Fact]
    public void No_status_is_left_without_a_stored_number()
    {
        Assert.Equal(Statuses().Select(row => (OperationStatus)row[0]).Order(), Enum.GetValues<OperationStatus>().Order());
        Assert.Equal(Priorities().Select(row => (OperationPriority)row[0]).Order(), Enum.GetValues<OperationPriority>().Order());
    }

    [Theory]
    [MemberData(nameof(Priorities))]
    public void Every_priority_keeps_its_stored_number(OperationPriority priority, int stored) =>
        Assert.Equal(stored, (int)priority);

    [Fact]
    public void The_sql_spellings_of_priority_and_of_unfinished_work_match_the_enums()
    {
        Assert.Equal(StoredPriority.High, ((int)OperationPriority.High).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(StoredPriority.Low, ((int)OperationPriority.Low).ToString(CultureInfo.InvariantCulture));
        var notSucceeded = Enum.GetValues<OperationStatus>().Where(s => s != OperationStatus.Succeeded).Select(s => ((int)s).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(StoredStatus.NotSucceeded, string.Join(", ", notSucceeded));
    }

    /// <summary>SQL that compares status or priority with a bare number bypasses the constants the tests above pin.</summary>
    [Fact]
    public void No_core_sql_compares_a_status_or_priority_with_a_number_literal()
    {
        var core = Path.Combine(RepositoryRoot(), "server", "OfflineSidecar.Core");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (NumberedColumn.IsMatch(lines[i]))
                {
                    offenders.Add($"{Path.GetRelativePath(core, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_check_above_catches_each_literal_form()
    {
        string[] literal =
        [
            "WHERE status = 3", "SET status = 0,", "AND status <> 2", "o.status IN (0, 1, 3, 4)", "status NOT IN (2)",
            "CHECK (status BETWEEN 0 AND 4)", "SET priority = 0", "SELECT status = 2 FROM",
        ];
        Assert.All(literal, sql => Assert.Matches(NumberedColumn, sql));
        Assert.DoesNotMatch(NumberedColumn, "WHERE status = {StoredStatus.Failed} AND is_head = 1");
        Assert.DoesNotMatch(NumberedColumn, "WHERE status = $s AND priority = $p");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineSidecar.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OfflineSidecar.sln not found above " + AppContext.BaseDirectory);
    }
}
