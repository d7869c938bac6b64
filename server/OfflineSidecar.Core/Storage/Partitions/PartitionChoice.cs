using OfflineSidecar.Core.Accounts;

namespace OfflineSidecar.Core.Storage.Partitions;

/// <summary>
/// Which partition credentials open, and what an account learnt from the server changes. Runs inside the writer's
/// transaction, so two sidecars opening the same workspace at once agree.
/// </summary>
internal static class PartitionChoice
{
    /// <summary>
    /// Known credentials open their partition, taking along the queue of a partition nobody signed in to (work done
    /// signed out). New ones claim such a partition (work done before accounts, without a server, or signed out: it goes
    /// with whoever signs in next on this machine); else a new one.
    /// </summary>
    public static string Open(WriteSession session, string workspace, string server, string? token)
    {
        var fingerprint = CredentialFingerprint.Of(workspace, server, token);
        var nobody = Nobody(workspace, server);
        if (PartitionRows.NameOf(session.Statements, fingerprint) is { } known)
        {
            // Work done signed out has no owner but whoever signs in next; a returning account takes it along.
            if (token is not null && Unclaimed(session, workspace, server, nobody) is { } orphaned && orphaned != known && HoldsOperations(session, orphaned))
            {
                PartitionMerge.Into(session, from: orphaned, into: known);
            }

            PartitionRows.Touch(session, known, server);
            return known;
        }

        if (Unclaimed(session, workspace, server, nobody) is { } unclaimed)
        {
            PartitionRows.Map(session, fingerprint, unclaimed);
            if (token is not null)
            {
                PartitionRows.Unmap(session, unclaimed, nobody);
            }

            PartitionRows.Touch(session, unclaimed, server);
            return unclaimed;
        }

        var name = PartitionRows.NewName(session.Statements, workspace, fingerprint);
        PartitionRows.Insert(session, name, workspace, server, account: null);
        PartitionRows.Map(session, fingerprint, name);
        return name;
    }

    /// <summary>
    /// The server said which account <paramref name="token"/> acts for. A partition of no account yet becomes that
    /// account's, or, when the account already has one (a new token of the same account), moves its operations there.
    /// Credentials now acting for another account open that account's partition and leave the old one as it is.
    /// </summary>
    public static AccountSwitch Identify(WriteSession session, string workspace, string server, string? token, string account)
    {
        var name = Open(session, workspace, server, token);
        var current = PartitionRows.Get(session.Statements, name)!;
        if (current.AccountId == account)
        {
            return new AccountSwitch(name, 0);
        }

        var fingerprint = CredentialFingerprint.Of(workspace, server, token);
        var existing = PartitionRows.OfAccount(session.Statements, workspace, server, account, except: name);
        if (current.AccountId is null && existing is null)
        {
            session.Sql("UPDATE partitions SET account = $a WHERE name = $n;").With("$a", account).With("$n", name).ExecuteNonQuery();
            if (token is not null)
            {
                PartitionRows.Unmap(session, name, Nobody(workspace, server));
            }

            return new AccountSwitch(name, 0);
        }

        if (current.AccountId is null)
        {
            var moved = PartitionMerge.Into(session, from: name, into: existing!);
            session.Sql("UPDATE partition_tokens SET name = $t WHERE name = $n;").With("$t", existing).With("$n", name).ExecuteNonQuery();
            if (token is not null)
            {
                PartitionRows.Unmap(session, existing!, Nobody(workspace, server));
            }

            session.Sql("DELETE FROM partitions WHERE name = $n;").With("$n", name).ExecuteNonQuery();
            return new AccountSwitch(existing!, moved);
        }

        var target = existing;
        if (target is null)
        {
            target = PartitionRows.NewName(session.Statements, workspace, CredentialFingerprint.Of(workspace, server, "account:" + account));
            PartitionRows.Insert(session, target, workspace, server, account);
        }

        PartitionRows.Map(session, fingerprint, target);
        return new AccountSwitch(target, 0);
    }

    private static bool HoldsOperations(WriteSession session, string name) =>
        session.Sql("SELECT EXISTS (SELECT 1 FROM operations WHERE workspace = $n);").With("$n", name).ExecuteScalar() is long and not 0;

    /// <summary>The fingerprints of no credentials, on this server and without one.</summary>
    private static string[] Nobody(string workspace, string server) =>
        [CredentialFingerprint.Of(workspace, server, null), CredentialFingerprint.Of(workspace, "", null)];

    private static string? Unclaimed(WriteSession session, string workspace, string server, string[] nobody) =>
        session.Sql("""
                SELECT p.name FROM partitions p
                WHERE p.workspace = $w AND p.account IS NULL AND p.server IN ($s, '')
                  AND NOT EXISTS (SELECT 1 FROM partition_tokens t WHERE t.name = p.name AND t.fingerprint NOT IN ($n1, $n2))
                ORDER BY p.server = $s DESC, p.used_at DESC
                LIMIT 1;
                """)
            .With("$w", workspace).With("$s", server).With("$n1", nobody[0]).With("$n2", nobody[1])
            .ExecuteScalar() as string;
}
