/** Version order follows semver.org §11 (through the `semver` package), prereleases included. */
import { parseLockText, planLock, serializeLock } from '../../lib/contracts/lock';
import { compareSemver, parseSemver } from '../../lib/contracts/semver';
import { ordersInput, productOf } from './fixtures';

describe('compareSemver', () => {
  test('numeric prerelease identifiers compare as numbers and sort below alphanumeric ones', () => {
    expect(compareSemver('1.0.0-2', '1.0.0-10')).toBeLessThan(0);
    expect(compareSemver('1.0.0-2', '1.0.0-10a')).toBeLessThan(0);
    expect(compareSemver('1.0.0-10', '1.0.0-10a')).toBeLessThan(0);
  });

  test('the precedence example of the specification, in order', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareSemver)).toEqual(ordered);
  });

  test('equal versions compare equal; a prerelease sorts before its release', () => {
    expect(compareSemver('2.1.0', '2.1.0')).toBe(0);
    expect(compareSemver('2.1.0-rc.1', '2.1.0')).toBeLessThan(0);
    expect(compareSemver('2.0.10', '2.0.9')).toBeGreaterThan(0);
  });

  test('anything that is not a semantic version is an error naming it', () => {
    expect(() => parseSemver('1.0')).toThrow('"1.0" is not a semantic version such as 1.2.0');
    expect(parseSemver('1.2.3-rc.1')).toMatchObject({ major: 1, minor: 2, patch: 3, prerelease: ['rc', 1] });
  });
});

describe('prerelease versions against a lock', () => {
  const lockOf = (version: string) => planLock(productOf(ordersInput({ version })), undefined, '2026-11-22').lock;

  test('going from 2.0.0-10a to 2.0.0-2 is a step back and blocks the lock', () => {
    const plan = planLock(productOf(ordersInput({ version: '2.0.0-2' })), lockOf('2.0.0-10a'), '2026-11-22');
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        kind: 'version',
        message: expect.stringContaining('version 2.0.0-2 is below the locked 2.0.0-10a'),
      }),
    ]);
  });

  test('going from 2.0.0-2 to 2.0.0-10 and on to the release moves forward', () => {
    expect(planLock(productOf(ordersInput({ version: '2.0.0-10' })), lockOf('2.0.0-2'), '2026-11-22').blockers).toEqual(
      [],
    );
    expect(planLock(productOf(ordersInput({ version: '2.0.0' })), lockOf('2.0.0-10'), '2026-11-22').blockers).toEqual(
      [],
    );
  });

  test('a lock file with a version semver cannot read exactly is refused, naming the field', () => {
    for (const bad of ['02.0.0', 'v2.0.0', '2.0.0+build.1', '2.0.0-01']) {
      const text = serializeLock(lockOf('2.0.0')).replace('"version": "2.0.0"', `"version": "${bad}"`);
      expect(parseLockText('orders.contract.lock.json', text).problems).toEqual([
        expect.objectContaining({ path: 'majors[0].version', message: 'must be a semantic version such as 1.2.0' }),
      ]);
    }
  });
});
