import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, formatRelativeTime } from '../../extension/src/viewModel/relativeTime';

const now = new Date('2026-11-22T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('formatRelativeTime', () => {
    it('says "just now" under 45 seconds, both ways', () => {
        assert.equal(formatRelativeTime(ago(10_000), now), 'just now');
        assert.equal(formatRelativeTime(ago(-10_000), now), 'just now');
    });
    it('uses minutes, hours and days with singular and plural', () => {
        assert.equal(formatRelativeTime(ago(60_000), now), '1 minute ago');
        assert.equal(formatRelativeTime(ago(5 * 60_000), now), '5 minutes ago');
        assert.equal(formatRelativeTime(ago(60 * 60_000), now), '1 hour ago');
        assert.equal(formatRelativeTime(ago(3 * 3600_000), now), '3 hours ago');
        assert.equal(formatRelativeTime(ago(2 * 86400_000), now), '2 days ago');
    });
    it('speaks of the future with "in"', () => {
        assert.equal(formatRelativeTime(ago(-5 * 60_000), now), 'in 5 minutes');
    });
    it('accepts Date objects and refuses garbage politely', () => {
        assert.equal(formatRelativeTime(new Date(now.getTime() - 120_000), now), '2 minutes ago');
        assert.equal(formatRelativeTime('not a date', now), 'at an unknown time');
    });
});

describe('formatAge', () => {
    it('is compact and floors', () => {
        assert.equal(formatAge(ago(12_500), now), '12s');
        assert.equal(formatAge(ago(5 * 60_000 + 59_000), now), '5m');
        assert.equal(formatAge(ago(3 * 3600_000), now), '3h');
        assert.equal(formatAge(ago(50 * 3600_000), now), '2d');
    });
    it('never goes negative', () => {
        assert.equal(formatAge(ago(-60_000), now), '0s');
        assert.equal(formatAge('garbage', now), '?');
    });
});
