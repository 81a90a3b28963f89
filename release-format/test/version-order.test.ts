import { describe, expect, it } from 'vitest';
import { compareVersions, isVersion, NotAVersionError } from '../src/index.js';

const sign = (n: number) => Math.sign(n);

describe('version order (semver precedence)', () => {
  it('orders pre-releases as semver 2.0.0 §11 does, each below its release', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    const shuffled = [...ordered].reverse();
    shuffled.push(shuffled.splice(3, 1)[0]!);
    expect(shuffled.sort(compareVersions)).toEqual(ordered);
    for (let i = 1; i < ordered.length; i++) {
      expect(sign(compareVersions(ordered[i - 1]!, ordered[i]!))).toBe(-1);
      expect(sign(compareVersions(ordered[i]!, ordered[i - 1]!))).toBe(1);
    }
  });

  it('compares numbers as numbers, in every part and in pre-release identifiers', () => {
    expect(sign(compareVersions('1.10.0', '1.9.0'))).toBe(1);
    expect(sign(compareVersions('0.9.10', '0.9.9'))).toBe(1);
    expect(sign(compareVersions('10.0.0', '9.99.99'))).toBe(1);
    expect(sign(compareVersions('1.0.0-rc.10', '1.0.0-rc.9'))).toBe(1);
    // A numeric identifier ranks below an alphanumeric one.
    expect(sign(compareVersions('1.0.0-1', '1.0.0-a'))).toBe(-1);
    // A pre-release of a higher version is still above a lower release.
    expect(sign(compareVersions('1.1.0-alpha', '1.0.9'))).toBe(1);
  });

  it('ignores build metadata for order; equal versions compare 0', () => {
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('1.2.3+build.1', '1.2.3+build.2')).toBe(0);
    expect(compareVersions('1.2.3-rc.1+b', '1.2.3-rc.1')).toBe(0);
  });

  it('accepts strict versions only, exactly as written', () => {
    for (const v of ['0.0.0', '1.2.3', '1.2.3-rc.1', '1.2.3-0.a-b', '1.2.3+build.7', '1.2.3-beta+exp.sha.5114f85']) expect(isVersion(v), v).toBe(true);
    for (const v of ['v1.2.3', '=1.2.3', ' 1.2.3', '1.2.3 ', '1.2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3-rc..1', 'latest', '', `1.2.3-${'a'.repeat(60)}`]) {
      expect(isVersion(v), JSON.stringify(v)).toBe(false);
    }
    expect(isVersion(123)).toBe(false);
    expect(isVersion(undefined)).toBe(false);
  });

  it('refuses to compare what is not a version, naming it', () => {
    expect(() => compareVersions('1.0.0', 'v1.0.1')).toThrow(NotAVersionError);
    expect(() => compareVersions('1.0', '1.0.0')).toThrow('not a version: 1.0');
  });
});
