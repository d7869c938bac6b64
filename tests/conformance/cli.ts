/**
 * npm run conformance -- --server URL [--token T] [--token2 T2] [--admin URL]... [--no-admin] [--only PART]... [--list]
 * Checks a sync server against docs/sync-protocol.md over HTTP: one line per check, a summary line, exit 1 on any failure
 * (2 on bad arguments or when the server cannot be reached at all).
 */
import { Outcome } from './suite/check';
import { allChecks } from './suite/index';
import { ConformanceOptions, runConformance } from './suite/run';

const usage = `usage: npm run conformance -- --server URL [options]

  --server URL    the sync server (or the load balancer in front of several)
  --token T       a bearer token (account A); without it the server is taken to be open
  --token2 T      a token of a second account (B), for the per-account idempotency and whoami checks
  --admin URL     the reference server's loopback admin API (fault injection, compaction); repeat it for
                  every replica. Without it, SERVER/admin is probed; checks that need it are skipped otherwise
  --no-admin      do not probe for an admin API
  --only PART     run only the checks whose id contains PART (repeatable)
  --list          list the checks and the rules they verify`;

function parse(args: string[]): ConformanceOptions | 'list' {
    const options: ConformanceOptions = { server: '', admin: [], only: [] };
    for (let i = 0; i < args.length; i++) {
        const name = args[i]!;
        if (name === '--list') return 'list';
        if (name === '--no-admin') {
            options.noAdmin = true;
            continue;
        }
        const value = args[++i];
        if (value === undefined) throw new Error(`${name}: missing value`);
        switch (name) {
            case '--server': options.server = value; break;
            case '--token': options.token = value; break;
            case '--token2': options.token2 = value; break;
            case '--admin': options.admin.push(value); break;
            case '--only': options.only.push(value); break;
            default: throw new Error(`unknown option ${name}`);
        }
    }
    if (!options.server) throw new Error('--server is required');
    return options;
}

function line(outcome: Outcome): string {
    const { check } = outcome;
    if (outcome.status === 'pass') return `PASS ${check.id}  [${check.section}]`;
    if (outcome.status === 'skip') return `SKIP ${check.id}  [${check.section}]: ${outcome.reason}`;
    return `FAIL ${check.id}  [${check.section}]\n     rule: ${check.rule}\n     ${outcome.reason.split('\n').join('\n     ')}`;
}

async function main(): Promise<number> {
    let options: ConformanceOptions | 'list';
    try {
        options = parse(process.argv.slice(2));
    } catch (error) {
        console.error(`${(error as Error).message}\n\n${usage}`);
        return 2;
    }
    if (options === 'list') {
        for (const check of allChecks) console.log(`${check.id}  [${check.section}]\n    ${check.rule}`);
        return 0;
    }
    console.log(`conformance: ${options.server}`);
    let outcomes: Outcome[];
    try {
        outcomes = await runConformance(options, (outcome) => console.log(line(outcome)));
    } catch (error) {
        console.error(`conformance: cannot run against ${options.server}: ${(error as Error).message}`);
        return 2;
    }
    const count = (status: Outcome['status']) => outcomes.filter((o) => o.status === status).length;
    console.log(`conformance: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
    return count('fail') === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
});
