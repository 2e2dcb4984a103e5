// Formatting helpers of web/js/util.js: what the page prints for numbers, shares, counts and durations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DASH, count, duration, fixed, fmt, isColour, isNum, percent, sameList, withAlpha } from '../../../web/js/util.js';

test('isNum accepts finite numbers only', () => {
  assert.equal(isNum(0), true);
  assert.equal(isNum(-2.5), true);
  for (const v of [NaN, Infinity, null, undefined, '1', {}]) assert.equal(isNum(v), false, String(v));
});

test('fmt keeps about the asked significant digits and shows undefined as a dash', () => {
  assert.equal(fmt(0.123456, 4), '0.1235');
  assert.equal(fmt(12.5, 4), '12.5'); // no trailing zeros
  assert.equal(fmt(0, 4), '0');
  assert.equal(fmt(123456, 4), '123456'); // at least 10^digits: whole number
  assert.equal(fmt(0.00001234, 4), '1.23e-5'); // tiny: exponent
  assert.equal(fmt(2.5e6, 3), '2.5e+6');
  assert.equal(fmt(-0.5, 2), '-0.5');
  assert.equal(fmt(0.1234), '0.1234'); // 4 digits by default
  assert.equal(fmt(null, 4), DASH);
  assert.equal(fmt(NaN, 4), DASH);
});

test('fixed rounds to decimals, undefined is a dash', () => {
  assert.equal(fixed(0.45, 3), '0.450');
  assert.equal(fixed(1 / 3, 2), '0.33');
  assert.equal(fixed(undefined, 2), DASH);
});

test('percent shows small shares with more precision and never rounds a tiny one to zero', () => {
  assert.equal(percent(0.4), '40.0%');
  assert.equal(percent(0.0123), '1.2%');
  assert.equal(percent(0.005), '0.50%');
  assert.equal(percent(0.00005), '<0.01%');
  assert.equal(percent(0), '0%');
  assert.equal(percent(null), DASH);
});

test('count rounds and groups thousands', () => {
  assert.equal(count(1234567.4), '1,234,567');
  assert.equal(count(0), '0');
  assert.equal(count(NaN), DASH);
});

test('duration picks the two largest units', () => {
  assert.equal(duration(12.4), '12 s');
  assert.equal(duration(200), '3 min 20 s');
  assert.equal(duration(2 * 3600 + 5 * 60), '2 h 05 min');
  assert.equal(duration(50 * 3600), '2 d 2 h');
  assert.equal(duration(-1), DASH);
  assert.equal(duration(null), DASH);
});

test('withAlpha turns #rrggbb into rgba', () => {
  assert.equal(withAlpha('#0072B2', 0.5), 'rgba(0,114,178,0.5)');
});

test('isColour accepts #rrggbb only', () => {
  assert.equal(isColour('#009e73'), true);
  assert.equal(isColour('#09e'), false);
  assert.equal(isColour('red'), false);
  assert.equal(isColour('#009e73; background: url(x)'), false);
});

test('sameList compares element by element', () => {
  assert.equal(sameList(['a', 'b'], ['a', 'b']), true);
  assert.equal(sameList(['a', 'b'], ['b', 'a']), false);
  assert.equal(sameList(['a'], ['a', 'b']), false);
});
